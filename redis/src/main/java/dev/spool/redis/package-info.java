/**
 * Spool's {@code redis} backend ({@code spool-redis}): the named {@code Lock}, {@code RLock}, {@code Semaphore},
 * {@code BoundedSemaphore} and {@code Event} shared by every instance of an application through Redis, over the
 * application's Redisson client. {@link dev.spool.redis.RedisBackend} implements
 * {@link dev.spool.threading.spi.SharedBackend}; {@link dev.spool.redis.SpoolRedisAutoConfiguration} makes it a
 * bean in a Spring Boot application; {@link dev.spool.redis.RedisBackendMetrics} binds its own meters
 * ({@code spool.redis.*}). Everything else in the package is internal.
 *
 * <h2>On Redisson's objects, not a protocol of our own</h2>
 * The state is kept in Redisson's public objects and changed only through their API: locks and semaphores are
 * {@code RPermitExpirableSemaphore}s (a lock has one permit), a lock's fencing counter an {@code RAtomicLong}, the
 * holders and waiters {@code RMapCache} entries, an event an {@code RBucket}, an {@code RAtomicLong} and an
 * {@code RTopic}. This package adds what the SPI asks for on top: the per-primitive lease and its renewal, the
 * local gate and re-entry of a lock, the order of a fencing token, bounded calls and waits in slices.
 *
 * <h2>Clocks</h2>
 * The leases are Redisson's, and Redisson (4.7) times them with the clock of the instance that calls: a permit's
 * expiry is the acquiring instance's {@code System.currentTimeMillis()} plus the lease, and another instance treats
 * it as expired once its own clock has passed that. So the instances' clocks must agree to well within a lease
 * (NTP does it): an instance whose clock runs {@code d} ahead sees every other instance's permits expire {@code d}
 * early, and as a live holder renews every third of its lease, a skew of more than about two thirds of the lease
 * lets it take the permit of a live holder. The same holds
 * for the {@code RMapCache} entries' times to live, where a skew only makes {@code holders()} and
 * {@code waiters()} drop or keep an entry a little early or late. A fencing token does not depend on any clock (its
 * order is checked in Redis, see {@code RedisLock}); it is the defence when a skew or a pause outlasts a lease.
 */
package dev.spool.redis;
