package dev.spool.futures;

/**
 * Python's module-level functions of {@code concurrent.futures}: {@code wait} and {@code as_completed}.
 */
public final class Futures {
    private Futures() {
    }

    /**
     * @return how many done-callbacks have thrown, in this JVM, since it started (each one was logged on logger
     * {@code dev.spool.futures})
     */
    public static long callbackFailures() {
        return TaskFuture.CALLBACK_FAILURES.sum();
    }
}
