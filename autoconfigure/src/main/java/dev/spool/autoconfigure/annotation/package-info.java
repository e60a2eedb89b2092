/**
 * How the starter applies {@link dev.spool.annotation.WithLock} and {@link dev.spool.annotation.WithPermit}: a Spring
 * AOP advisor added to each annotated bean's proxy, after {@code @Async}'s and before the rest, and a start-up check
 * of every annotation; {@link dev.spool.autoconfigure.annotation.SpoolAnnotationsAutoConfiguration} registers both.
 */
package dev.spool.autoconfigure.annotation;
