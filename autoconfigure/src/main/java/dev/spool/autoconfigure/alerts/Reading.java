package dev.spool.autoconfigure.alerts;

/**
 * One alert's measurement of one executor or lock at one check.
 *
 * @param alert  the alert
 * @param value  what was measured, in the alert's unit
 * @param detail what it means, for the message, without the threshold: {@code executor io: queue 90 % full (90 of 100)}
 */
record Reading(SpoolAlert alert, double value, String detail) {
}
