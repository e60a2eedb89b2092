/**
 * For backend modules only: the state of a named primitive kept outside this JVM (today {@code spool-redis}, on
 * Redis through Redisson). Application code never implements or calls these; it keeps using
 * {@link dev.spool.threading.Lock}, {@link dev.spool.threading.RLock}, {@link dev.spool.threading.Semaphore},
 * {@link dev.spool.threading.BoundedSemaphore} and {@link dev.spool.threading.Event}, which a backend module builds
 * with their {@code shared(…)} factories over an implementation of this package.
 *
 * <h2>What stays in the public type, and what the backend does</h2>
 * The public type keeps everything Spool promises about observation ({@link dev.spool.threading.Primitive}): the
 * names, the local statistics, the wait histogram, the waiting threads of this JVM, the listeners, the guard, and
 * the Python and {@code java.util.concurrent} surfaces with their time and interruption rules. It first tries once
 * without waiting ({@code acquire(0)}), and only a thread that has to wait is timed and registered, exactly as for
 * a local primitive. The backend does only what needs the shared state: acquire, release, read, and say who holds
 * and who waits across instances.
 *
 * <h2>Rules for an implementation</h2>
 * <ul>
 *   <li>Times are nanoseconds: {@code 0} or less only tries, without blocking; {@link java.lang.Long#MAX_VALUE}
 *       waits without a limit. Waiting methods are interruptible and throw {@link java.lang.InterruptedException};
 *       the public type makes the Python methods uninterruptible on top.</li>
 *   <li>A failure to reach the shared state throws {@link dev.spool.threading.BackendUnavailableException}, never
 *       hangs: a wait that cannot be served ends with it within a bounded time.</li>
 *   <li>The observation methods ({@code holders()}, {@code waiters()}, {@code value()}, {@code isLocked()}…) may be
 *       called by a metrics scrape: they answer within a bounded time, from a recent reading if need be, and report
 *       failure by exception, which the public type turns into "unknown" rather than a failed scrape.</li>
 *   <li>Holders and waiters are named {@code instance/thread}, the instance being the backend's id for this JVM, which a
 *       {@code SharedLock} also returns from {@code instanceId()}.</li>
 * </ul>
 */
package dev.spool.threading.spi;
