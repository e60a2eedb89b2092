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
 * <h2>Spinning</h2>
 * Locks and semaphores block as {@code AbstractQueuedSynchronizer} does. The meeting points, {@code Event.await}
 * and {@code Barrier.await}, first re-read their state 128 times with {@link java.lang.Thread#onSpinWait()} (a few
 * microseconds, bounded; never on a single CPU or in a virtual thread), as {@code SynchronousQueue} and
 * {@code Phaser} do, because the other party usually comes within that time and a park/unpark round trip costs ten
 * times more. A wait that ends within the spin did not block: it is not counted as contended.
 */
package dev.spool.threading;
