/**
 * {@code spool.adopt.*}: Spring Boot's own pools (the application task executor, the task scheduler, the embedded
 * Tomcat's request pool) observed by Spool as {@link dev.spool.futures.AdoptedExecutor}s, with the meters, endpoint
 * view, health and alerts of a Spool pool, while they keep their threads, limits and rejection.
 */
package dev.spool.autoconfigure.adopt;
