/**
 * Spool's {@code redis} backend ({@code spool-redis}): the named {@code Lock}, {@code RLock}, {@code Semaphore},
 * {@code BoundedSemaphore} and {@code Event} shared by every instance of an application through Redis, over the
 * application's Redisson client. {@link dev.spool.redis.RedisBackend} implements
 * {@link dev.spool.threading.spi.SharedBackend}; {@link dev.spool.redis.SpoolRedisAutoConfiguration} makes it a
 * bean in a Spring Boot application; {@link dev.spool.redis.RedisBackendMetrics} binds its own meters
 * ({@code spool.redis.*}). Everything else in the package is internal.
 */
package dev.spool.redis;
