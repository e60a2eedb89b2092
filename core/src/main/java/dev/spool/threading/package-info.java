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
 * threads, the wait histogram and the contention listeners, and the promises every implementation keeps (also a shared
 * one, whose state is not in this JVM). Everything that handles primitives in general (meters, endpoints, the Spring
 * starter) reads them through it, and the one exhaustive {@code switch} over it in
 * {@code dev.spool.metrics.SpoolMetrics} is the place a new kind must be added. {@link dev.spool.threading.Lock} and
 * {@link dev.spool.threading.RLock} share one base, {@link dev.spool.threading.AbstractLock}, which writes their
 * Python and {@code java.util.concurrent.locks.Lock} methods once.
 *
 * <h2>Backends: local and shared primitives</h2>
 * A primitive made with a constructor ({@code new Lock()}, …) is local: its state is in this JVM, and
 * {@link dev.spool.threading.Primitive#backend()} is {@code "local"}. Lock, RLock, Semaphore, BoundedSemaphore and
 * Event also have a static {@code shared(name, …, state)} factory that builds the same public type over a state kept
 * outside the JVM, by a backend module, through the interfaces of {@link dev.spool.threading.spi} (the Redis module
 * implements them; core knows no backend). Every instance of an application that builds one over the same name
 * shares one primitive. Code that holds a {@code Lock} does not know or care which kind it has.
 *
 * <p>Each public class delegates its state to a package-private backend and keeps everything else:
 * <ul>
 *   <li>Locks: {@code AbstractLock} calls a {@code LockBackend} once per method. {@code LockSync} is the local one
 *       (the {@code AbstractQueuedSynchronizer} described under "Hold times"); {@code SharedLockBackend} runs the
 *       same Python and {@code java.util.concurrent} rules over a {@link dev.spool.threading.spi.SharedLock}, with
 *       its own local statistics.</li>
 *   <li>Semaphores: {@code Semaphore} keeps its counters and times its waits; a {@code SemaphoreBackend} holds the
 *       permits: {@code SemaphoreSync} (the CAS word that also counts acquisitions) or {@code SharedSemaphoreBackend}
 *       over a {@link dev.spool.threading.spi.SharedSemaphore}, which also enforces a BoundedSemaphore's bound on
 *       every instance.</li>
 *   <li>Events: {@code Event} keeps its counters; an {@code EventBackend} holds the flag and does the waiting, since
 *       only it knows whether a wait blocked: {@code EventSync} (spin, then AQS) or {@code SharedEventBackend} over a
 *       {@link dev.spool.threading.spi.SharedEvent} (no spin: the set is a network message away).</li>
 * </ul>
 * The seam costs the local fast path nothing measurable: in a JVM with only local primitives every backend call sees
 * one receiver type, which C2 inlines behind one class compare, so an uncontended acquire is still one CAS with no
 * clock read and no allocation (the benchmarks' figures did not move; {@code UncontendedPathTest} checks the
 * allocation).
 *
 * <p>What a shared primitive keeps, changes and refuses:
 * <ul>
 *   <li><b>The same rules.</b> Time, interruption and errors as above: the SPI's waits are interruptible, and the
 *       Python methods run them under an uninterruptible loop that keeps the interrupt status. The first attempt is
 *       one {@code acquire(0)}; only a thread that has to wait reads the clock and registers, so contended waits,
 *       timeouts, acquisitions, the histograms, {@code waitingThreadNames()} and the listeners are this JVM's and
 *       mean what they mean for a local primitive.</li>
 *   <li><b>Hold times</b> follow the rule above for the holds this JVM can see: a hold that began contended is timed
 *       exactly, a hold of this JVM that a thread here waited on is stamped on that thread's arrival (or when it
 *       began, if threads here were already waiting), and nothing else is timed here (a hold on another instance is
 *       that instance's to time; a {@code Lock} hold released by another instance is forgotten here at the next
 *       acquisition).</li>
 *   <li><b>Failures.</b> A call that cannot reach the state throws
 *       {@link dev.spool.threading.BackendUnavailableException}; an acquisition that throws it holds nothing, a wait
 *       that ends with it is counted as contended, not as a timeout. Observation never throws:
 *       {@code stats()} reports "unknown" as each statistics record says (a semaphore's permits -1, an event's last
 *       known flag, a lock's {@code locked} as this JVM knows it), and the meters show a gap (NaN) where a level
 *       cannot be read.</li>
 *   <li><b>Who holds and who waits</b> across instances: {@link dev.spool.threading.Primitive#occupancy()}, named
 *       {@code instance/thread}, read from the backend on demand (for the endpoints, not for every scrape), and
 *       marked not complete rather than failing when the backend cannot be reached.</li>
 *   <li><b>Fencing.</b> A shared hold has a lease, which a paused holder can outlive;
 *       {@link dev.spool.threading.AbstractLock#fencingToken()} gives each hold a number that later holds exceed, so
 *       the guarded resource can refuse a late write. A local lock has one too: the hold's number.</li>
 *   <li><b>Refused:</b> {@link dev.spool.threading.Condition} and {@code newCondition()} need a local lock (a
 *       condition parks in its lock's queue and saves its hold count): the constructor throws
 *       {@link java.lang.IllegalArgumentException} and {@code newCondition()}
 *       {@link java.lang.UnsupportedOperationException}, naming the lock. {@code DeadlockDetector} follows a shared
 *       lock through the other instances, naming their threads {@code instance/thread}. Barrier, Condition and Timer have no shared form. A shared lock or semaphore reports
 *       {@code fair() == false}: its backend orders the waiters.</li>
 * </ul>
 * Every meter of a primitive carries a {@code backend} tag with its {@code backend()}, so a local and a shared
 * primitive of the same name are two series.
 *
 * <h2>Spinning</h2>
 * Locks and semaphores block as {@code AbstractQueuedSynchronizer} does. The meeting points, {@code Event.await}
 * and {@code Barrier.await}, first re-read their state 128 times with {@link java.lang.Thread#onSpinWait()} (a few
 * microseconds, bounded; never on a single CPU or in a virtual thread), as {@code SynchronousQueue} and
 * {@code Phaser} do, because the other party usually comes within that time and a park/unpark round trip costs ten
 * times more. A wait that ends within the spin did not block: it is not counted as contended.
 */
package dev.spool.threading;
