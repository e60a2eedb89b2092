/**
 * Spool's Micrometer meters in a Spring Boot application: {@link dev.spool.autoconfigure.metrics.SpoolMetricsAutoConfiguration}
 * binds every Spool executor and primitive of the context to the application's {@code MeterRegistry} with the core's
 * {@link dev.spool.metrics.SpoolMetrics}, which it also exposes as a bean for objects made at run time.
 */
package dev.spool.autoconfigure.metrics;
