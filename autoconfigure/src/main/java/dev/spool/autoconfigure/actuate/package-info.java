/**
 * What operators see and steer through Boot's actuator: the {@code executors} and {@code primitives} endpoints (with
 * the write operation that resizes thread pools) and the {@code spool} health component. Each reads the engine's own
 * statistics of the Spool beans the context has created.
 */
package dev.spool.autoconfigure.actuate;
