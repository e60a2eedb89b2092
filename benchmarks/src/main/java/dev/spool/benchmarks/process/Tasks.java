package dev.spool.benchmarks.process;

import dev.spool.futures.SerializableCallable;

/** The tiny tasks the process-pool benchmarks send: the same work as CPython's anchor ({@code square}, {@code noop}). */
final class Tasks {
    private Tasks() {
    }

    /** {@code square(i)} as a record task. */
    record Square(int x) implements SerializableCallable<Integer> {
        @Override
        public Integer call() {
            return x * x;
        }
    }

    static int square(int x) {
        return x * x;
    }

    static Integer noop(Integer ignored) {
        return null;
    }
}
