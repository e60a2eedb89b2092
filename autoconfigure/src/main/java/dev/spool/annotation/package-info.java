/**
 * Annotations that run a Spring bean's method holding a Spool lock or semaphore permits:
 * {@link dev.spool.annotation.WithLock WithLock} ({@code @WithLock("inventory")}) and
 * {@link dev.spool.annotation.WithPermit WithPermit} ({@code @WithPermit("db")}), by bean name, local or shared alike; {@link dev.spool.annotation.NotAcquiredException} and its
 * two kinds are what a call that could not take them within its timeout throws. The starter's auto-configuration
 * applies them; docs/annotations.md gives the whole behaviour.
 */
package dev.spool.annotation;
