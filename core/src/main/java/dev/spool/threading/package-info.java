/**
 * Python's {@code threading} primitives on the JVM, each one observable: {@link dev.spool.threading.Lock},
 * {@link dev.spool.threading.RLock}, {@link dev.spool.threading.Condition}, {@link dev.spool.threading.Semaphore},
 * {@link dev.spool.threading.BoundedSemaphore}, {@link dev.spool.threading.Event}, {@link dev.spool.threading.Timer}
 * and {@link dev.spool.threading.Barrier}. Python's {@code wait} is {@code await} and {@code notify} is
 * {@code signal}, since {@link java.lang.Object} owns those names.
 *
 * <h2>Time</h2>
 * One rule for every type: the overload without a {@link java.time.Duration} waits as long as it takes; a
 * {@code Duration} of zero or less never blocks (the call only tries, returns false, or, for a barrier, breaks it at
 * once); a {@code Duration} too long to count (over about 146 years) waits without a limit rather than failing; a
 * {@code null} {@code Duration} throws {@link java.lang.NullPointerException}. No wait ends before its time unless
 * what it waits for happens. Python's "non-blocking call with a timeout is an error" has no counterpart:
 * {@code acquire(boolean)} takes no timeout.
 *
 * <h2>Interruption</h2>
 * As in {@code java.util.concurrent}:
 * <ul>
 *   <li><b>Acquiring</b> ({@code acquire()}, {@code acquire(boolean)}, {@code acquire(Duration)}, {@code hold()} on
 *       Lock, RLock, Semaphore, BoundedSemaphore and Condition, and {@code Lock.lock()}) is not interruptible, like
 *       {@code Lock.lock()} and {@code Semaphore.acquireUninterruptibly()}: an interrupt does not end the wait, and
 *       the thread's interrupt status is still set when the call returns. The interruptible forms are the
 *       {@link java.util.concurrent.locks.Lock} methods {@code lockInterruptibly()} and
 *       {@code tryLock(long, TimeUnit)} of Lock and RLock.</li>
 *   <li><b>Waiting for something to happen</b> ({@code Condition.await…}/{@code awaitFor…}, {@code Event.await…},
 *       {@code Barrier.await…}, {@code Timer.join…}) throws {@link java.lang.InterruptedException}, with the interrupt
 *       status cleared, like {@code Condition.await}, {@code CountDownLatch.await}, {@code CyclicBarrier.await} and
 *       {@code Thread.join}. A Condition waiter takes its lock back before it throws; an interrupted Barrier waiter
 *       breaks the barrier for the others.</li>
 * </ul>
 *
 * <h2>Errors</h2>
 * Releasing an unlocked {@code Lock}: {@link java.lang.IllegalStateException}. Releasing an {@code RLock} the thread
 * does not own, or awaiting/signalling a {@code Condition} without its lock:
 * {@link java.lang.IllegalMonitorStateException}. Releasing a {@code BoundedSemaphore} past its initial value:
 * {@code IllegalStateException}, the count unchanged. A negative semaphore value, {@code release(n)} with
 * {@code n < 1}, or a barrier with fewer than one party: {@link java.lang.IllegalArgumentException}. Starting a
 * {@code Timer} twice: {@code IllegalStateException}. A broken barrier: {@link dev.spool.threading.BarrierBrokenException}
 * (unchecked).
 *
 * <h2>Names and statistics</h2>
 * Every primitive has a {@code name()}, given to the constructor or generated ({@code Lock-1}, {@code RLock-2},
 * {@code Semaphore-3}, … one counter per type). Every primitive but Timer has {@code stats()}, an immutable
 * {@link dev.spool.threading.PrimitiveStats} snapshot; {@code waitingThreadNames()}, computed when asked; and
 * {@code waitHistogram()}, the live, cumulative {@link dev.spool.stats.DurationHistogram} of its waits that blocked
 * (locks also have {@code holdHistogram()}). For a feed of every sample (Micrometer timers), each primitive but
 * Timer takes {@link dev.spool.threading.ContentionListener}s ({@code addContentionListener}), told about each wait
 * that blocked and, for locks, each timed hold, on the slow path only. The metrics layer and the actuator endpoints
 * read these; the primitives know nothing of Micrometer. Only a thread that has to wait reads the clock, registers
 * itself and records a duration: the uncontended path of every primitive is a CAS and a counter, with no clock read
 * and no allocation.
 *
 * <h2>Hold times</h2>
 * Since the uncontended path reads no clock, a lock hold's start is known only when some thread had to wait: a hold
 * that began with a contended acquisition is timed exactly from then; any other hold is stamped by the first thread
 * that has to wait for it, on its arrival (a lower bound); a hold nobody waited for is not timed. So
 * {@code heldSinceNanos}, the hold totals, the hold histogram and {@code ContentionListener.held} cover every hold
 * that another thread waited on. See {@link dev.spool.threading.LockStats}.
 * {@link dev.spool.threading.DeadlockDetector} reports cycles of threads waiting for each other's locks.
 *
 * <h2>One contract for every primitive</h2>
 * Lock, RLock, Semaphore, BoundedSemaphore, Event, Barrier and Condition are each a
 * {@link dev.spool.threading.Primitive}: a sealed interface with the name, the statistics snapshot, the waiting
 * threads, the wait histogram and the contention listeners, and the promises every implementation keeps (also one
 * whose state is not in this JVM). Everything that handles primitives in general (meters, endpoints, the Spring
 * starter) reads them through it, and the one exhaustive {@code switch} over it in
 * {@code dev.spool.metrics.SpoolMetrics} is the place a new kind must be added. {@link dev.spool.threading.Lock} and
 * {@link dev.spool.threading.RLock} share one base, {@link dev.spool.threading.AbstractLock}, which writes their
 * Python and {@code java.util.concurrent.locks.Lock} methods once.
 *
 * <h2>Backends: where a lock's state lives</h2>
 * {@code AbstractLock} does nothing itself: each method calls a package-private {@code LockBackend} once. The local
 * backend is {@code LockSync} (the {@code AbstractQueuedSynchronizer} described under "Hold times"), and it is the
 * only one today. The seam is built now, for locks, because issue 15 (the same named primitives across instances, on
 * Redis through Redisson) needs user code to keep the same {@code Lock} and {@code RLock} types whatever the
 * backend, and {@code new Lock()} to stay local: so the public types must delegate, and cutting that delegation
 * after the fact would have been a second pass over both classes. It costs the uncontended path nothing
 * measurable: the backend calls see one receiver type, {@code LockSync}, and the JIT inlines them behind one class
 * compare, so an uncontended acquire or release is still one CAS, with no clock read and no allocation.
 *
 * <p>What a Redis backend would implement, and what it adds (none of it is here yet):
 * <ul>
 *   <li>Every {@code LockBackend} operation, over Redisson: an {@code RLock} is Redisson's {@code RLock} (or
 *       {@code RFencedLock}), owned by one thread of one instance with a hold count; a {@code Lock}, which any thread
 *       may release, cannot be an owned Redisson lock, and would be a one-permit expirable semaphore whose permit id
 *       the lock keeps for whichever of its threads releases it.</li>
 *   <li>Leases: each hold taken with a lease, renewed while the holder lives, so a dead holder's lock comes back; and
 *       a fencing token per hold ({@code fencingToken()}, added to {@code LockBackend} and {@code AbstractLock} then;
 *       locally it is the hold's number, {@code LockSync}'s {@code holdSeq}, which already rises with every hold).</li>
 *   <li>The observation promises of {@code Primitive}: the waits of this JVM's threads are timed and registered
 *       locally, with the same {@code WaitStatistics}, so {@code stats()} and the histograms never wait on the
 *       network; owners and waiters on other instances are for the endpoints to ask for, not for a scrape.</li>
 *   <li>What it refuses: {@link dev.spool.threading.Condition} parks in the lock's own queue and saves its hold count,
 *       so it needs the local backend ({@code AbstractLock.sync()} says so); {@code DeadlockDetector} sees local
 *       locks only.</li>
 * </ul>
 * How a backend is handed to a lock (a public factory taking a backend, for the Redis module, which lives in
 * another package) is issue 15's to choose; the interface becomes public then, with the methods above.
 *
 * <p>Semaphore, BoundedSemaphore and Event have no backend seam yet, on purpose: their local state is one CAS word
 * inside a private synchronizer (a semaphore counts its acquisitions in the same CAS that takes the permit), and a
 * Redis semaphore with leases (Redisson's {@code RPermitExpirableSemaphore}) hands out a permit id that its release
 * must give back, which the anonymous {@code release(n)} of the local one has no place for. An interface cut from
 * today's code would have the local shape and be rewritten by the first remote implementation. Issue 15 adds a
 * {@code SemaphoreBackend} and an {@code EventBackend} in the same way as {@code LockBackend}: the public class keeps
 * its methods and its statistics, and delegates the state.
 *
 * <h2>Spinning</h2>
 * Locks and semaphores block as {@code AbstractQueuedSynchronizer} does. The meeting points, {@code Event.await}
 * and {@code Barrier.await}, first re-read their state 128 times with {@link java.lang.Thread#onSpinWait()} (a few
 * microseconds, bounded; never on a single CPU or in a virtual thread), as {@code SynchronousQueue} and
 * {@code Phaser} do, because the other party usually comes within that time and a park/unpark round trip costs ten
 * times more. A wait that ends within the spin did not block: it is not counted as contended.
 */
package dev.spool.threading;
