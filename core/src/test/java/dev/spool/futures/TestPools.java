package dev.spool.futures;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The thread pools one test made, and the gate its blocking tasks wait on: closing opens the gate and shuts every
 * pool down at once, so no test leaves a thread behind whatever it asserted.
 */
final class TestPools implements AutoCloseable {
    private final List<ThreadPool> pools = new ArrayList<>();
    private final CountDownLatch gate = new CountDownLatch(1);

    /** @return the latch tasks wait on until the test opens it (or {@link #close()} does) */
    CountDownLatch gate() {
        return gate;
    }

    ThreadPool build(ThreadPool.Builder builder) {
        return add(builder.build());
    }

    ThreadPool add(ThreadPool pool) {
        pools.add(pool);
        return pool;
    }

    @Override
    public void close() {
        gate.countDown();
        for (ThreadPool pool : pools) {
            pool.shutdownNow();
        }
    }
}
