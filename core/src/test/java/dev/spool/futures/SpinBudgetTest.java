package dev.spool.futures;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.spool.internal.SpinPolicy;
import dev.spool.testing.Waiting;

/** How a pool tells {@link SpinPolicy} what its waiters and idle workers would take a CPU from. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SpinBudgetTest {
    private final TestPools pools = new TestPools();

    @AfterEach
    void closePools() {
        pools.close();
    }

    @Test
    void whileTasksWaitForAWorkerNobodySpins() {
        ThreadPool pool = pools.build(ThreadPool.builder().name("busy").maxWorkers(1));
        CountDownLatch started = new CountDownLatch(1);
        pool.submit(() -> {
            started.countDown();
            Conditions.pass(pools.gate());
        });
        Conditions.await(started);
        assertThat(pool.engine().busyForSpin()).as("one worker runs").isEqualTo(1);
        pool.submit(() -> { });
        assertThat(pool.engine().busyForSpin()).as("a task waits: runnable work is there").isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void anIdlePoolTakesNoCpu() {
        ThreadPool pool = pools.build(ThreadPool.builder().name("idle").maxWorkers(2).prestart(true));
        Waiting.until("both workers idle", () -> pool.engine().busyForSpin() == 0 && pool.stats().poolSize() == 2);
    }

    @Test
    void manyCallersWaitingOnFewWorkersGiveTheBudgetBack() throws Exception {
        ThreadPool pool = pools.build(ThreadPool.builder().name("callers").maxWorkers(2));
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Thread caller = new Thread(() -> {
                for (int n = 0; n < 2_000; n++) {
                    pool.submit(() -> {
                        for (int k = 0; k < 100; k++) {
                            Thread.onSpinWait();
                        }
                    }).result();
                }
            }, "caller-" + i);
            caller.start();
            callers.add(caller);
        }
        for (Thread caller : callers) {
            Conditions.join(caller);
        }
        pool.close();
        assertThat(pool.stats().completed()).isEqualTo(16 * 2_000);
        Waiting.until("every spin has ended", () -> SpinPolicy.spinners() == 0);
    }
}
