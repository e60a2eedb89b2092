package dev.spool.threading;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a function once, in a thread of its own, after an interval, unless cancelled first: Python's
 * {@code threading.Timer}.
 *
 * <pre>{@code
 * Timer reminder = new Timer(Duration.ofSeconds(30), () -> log.info("still working"));
 * reminder.start();
 * …
 * reminder.cancel();
 * }</pre>
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>The thread: {@link #start()} starts one platform thread, named as the timer ({@code Timer-1}, … or the name
 *       given), that waits for the interval and then runs the function. It is not a daemon thread, as in Python: a
 *       pending timer keeps the JVM alive until it fires or is cancelled; call {@link #setDaemon(boolean)} before
 *       {@code start()} to change that. An interval of zero or less runs the function at once.</li>
 *   <li>{@link #cancel()}: once it has returned, the function will never start, also when it races the deadline (the
 *       timer thread and {@code cancel()} settle it with one atomic transition). If the function has already
 *       started, {@code cancel()} does nothing: it neither interrupts nor waits for it. Cancelling before
 *       {@code start()} is allowed; the thread then ends at once.</li>
 *   <li>{@link #start()} twice throws {@link IllegalStateException}; so does {@code join} before {@code start()}.</li>
 *   <li>An exception thrown by the function ends the timer thread and goes to its uncaught exception handler.</li>
 *   <li>Interruption: {@code join} is interruptible, as {@link Thread#join()} is. Interrupting the timer thread while
 *       it waits for the interval does not end the wait; the function then runs with the interrupt status set.</li>
 * </ul>
 */
public final class Timer {
    /*
     * state: PENDING ─▶ RUNNING ─▶ FINISHED    (the timer thread, at the deadline, by CAS)
     *        PENDING ─▶ CANCELLED               (cancel(), by CAS, then unpark)
     * Only one CAS out of PENDING succeeds, so the function runs iff the timer thread won it, and a cancel()
     * that has returned either won (the function will never run) or lost to a run that had already begun.
     */
    private static final int PENDING = 0;
    private static final int RUNNING = 1;
    private static final int FINISHED = 2;
    private static final int CANCELLED = 3;

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final String name;
    private final Duration interval;
    private final Runnable function;
    private final Thread thread;
    private volatile int state;
    private volatile boolean started;

    /**
     * Makes a timer with a generated name ({@code Timer-1}, …). It does nothing until {@link #start()}.
     *
     * @param interval how long to wait, from {@code start()}, before running {@code function}
     * @param function what to run
     * @throws NullPointerException if an argument is null
     */
    public Timer(Duration interval, Runnable function) {
        this("Timer-" + SEQUENCE.incrementAndGet(), interval, function);
    }

    /**
     * Makes a timer. It does nothing until {@link #start()}.
     *
     * @param name     its name, also its thread's name
     * @param interval how long to wait, from {@code start()}, before running {@code function}
     * @param function what to run
     * @throws NullPointerException if an argument is null
     */
    public Timer(String name, Duration interval, Runnable function) {
        this.name = Objects.requireNonNull(name, "name");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.function = Objects.requireNonNull(function, "function");
        this.thread = Thread.ofPlatform().name(name).daemon(false).unstarted(this::run);
    }

    /**
     * Starts the timer thread; the interval counts from now.
     *
     * @throws IllegalStateException if the timer was started before
     */
    public void start() {
        if (!STARTED.compareAndSet(this, false, true)) {
            throw new IllegalStateException("threads can only be started once: " + this);
        }
        thread.start();
    }

    /**
     * Stops the timer if its function has not started yet: once this returns, the function never starts. Does
     * nothing if the function has started or finished, or the timer was cancelled before.
     */
    public void cancel() {
        if (STATE.compareAndSet(this, PENDING, CANCELLED)) {
            LockSupport.unpark(thread);
        }
    }

    /** @return whether {@link #cancel()} stopped the function from running */
    public boolean cancelled() {
        return state == CANCELLED;
    }

    /**
     * Waits until the timer thread has ended (the function ran, or the timer was cancelled), as long as it takes.
     *
     * @throws IllegalStateException if the timer was not started
     * @throws InterruptedException  if the calling thread is interrupted while waiting (its status is cleared)
     */
    public void join() throws InterruptedException {
        checkStarted();
        thread.join();
    }

    /**
     * Waits until the timer thread has ended, at most {@code timeout}.
     *
     * @param timeout how long to wait at most; zero or less never blocks
     * @return true if the thread has ended, false if it is still alive
     * @throws IllegalStateException if the timer was not started
     * @throws InterruptedException  if the calling thread is interrupted while waiting (its status is cleared)
     * @throws NullPointerException  if {@code timeout} is null (use {@link #join()})
     */
    public boolean join(Duration timeout) throws InterruptedException {
        long nanos = Durations.nanos(timeout);
        checkStarted();
        if (nanos >= Durations.FOREVER) {
            thread.join();
        } else if (nanos > 0L) {
            TimeUnit.NANOSECONDS.timedJoin(thread, nanos);
        }
        return !thread.isAlive();
    }

    private void checkStarted() {
        if (!started) {
            throw new IllegalStateException("cannot join a timer before it is started: " + this);
        }
    }

    /** @return whether the timer thread is running: started, and not yet ended */
    public boolean isAlive() {
        return thread.isAlive();
    }

    /**
     * Makes the timer thread a daemon thread (one that does not keep the JVM alive), or not. Timers are not daemons
     * unless this says so.
     *
     * @param on true for a daemon thread
     * @throws IllegalStateException if the timer was started
     */
    public void setDaemon(boolean on) {
        try {
            if (!started) {
                thread.setDaemon(on);
                return;
            }
        } catch (IllegalThreadStateException startedMeanwhile) {
            // fall through
        }
        throw new IllegalStateException("cannot set daemon status of a started timer: " + this);
    }

    /** @return whether the timer thread is a daemon thread */
    public boolean isDaemon() {
        return thread.isDaemon();
    }

    /** @return the interval the function waits for */
    public Duration interval() {
        return interval;
    }

    /** @return the timer's name, which is also its thread's */
    public String name() {
        return name;
    }

    private void run() {
        long deadline = System.nanoTime() + Durations.nanos(interval);
        boolean interrupted = false;
        while (state == PENDING) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0L) {
                break;
            }
            LockSupport.parkNanos(this, remaining);
            if (Thread.interrupted()) {
                interrupted = true; // not a cancel; restored for the function
            }
        }
        if (STATE.compareAndSet(this, PENDING, RUNNING)) {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            try {
                function.run();
            } finally {
                state = FINISHED;
            }
        }
    }

    /** @return {@code Timer[name=…, pending|running|finished|cancelled]} */
    @Override
    public String toString() {
        String shown = switch (state) {
            case PENDING -> "pending";
            case RUNNING -> "running";
            case FINISHED -> "finished";
            default -> "cancelled";
        };
        return "Timer[name=" + name + ", " + shown + "]";
    }

    private static final VarHandle STATE;
    private static final VarHandle STARTED;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Timer.class, "state", int.class);
            STARTED = MethodHandles.lookup().findVarHandle(Timer.class, "started", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
