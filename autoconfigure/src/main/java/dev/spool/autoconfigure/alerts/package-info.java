/**
 * Threshold alerts on Spool's executors and locks: every {@code spool.alerts.check-interval} one daemon thread
 * ({@code spool-alerts}) reads their statistics, off every task's path, and for each {@link
 * dev.spool.autoconfigure.alerts.SpoolAlert} whose threshold is reached publishes a {@link
 * dev.spool.autoconfigure.alerts.SpoolAlertEvent}, logs it at WARN and counts it in the {@code spool.alerts} meter,
 * then keeps that alert quiet for that executor or lock for {@code spool.alerts.silence}. Listen with
 * {@code @EventListener}; docs/operations.md, "Alert events", says what each alert means and what to do.
 */
package dev.spool.autoconfigure.alerts;
