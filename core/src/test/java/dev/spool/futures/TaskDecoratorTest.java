package dev.spool.futures;

import static dev.spool.futures.Conditions.await;
import static dev.spool.futures.Conditions.pass;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ThreadPool.Builder#taskDecorator}: applied in the submitting thread at submit time, to the whole execution
 * of the task, for context propagation (the Spring starter adapts Spring {@code TaskDecorator} beans to it).
 */
@Timeout(20)
class TaskDecoratorTest {
    /** Stands in for an MDC or a security context: per-thread state a decorator carries to the task. */
    private static final ThreadLocal<String> CONTEXT = new ThreadLocal<>();

    private final TestPools pools = new TestPools();
    private final CountDownLatch gate = pools.gate();

    private ThreadPool pool(ThreadPool.Builder builder) {
        return pools.build(builder);
    }

    @AfterEach
    void shutdownPools() {
        pools.close();
        CONTEXT.remove();
    }

    /** Captures the submitter's context at submit, sets it around the execution, and restores the worker's after. */
    private static final UnaryOperator<Runnable> PROPAGATE = execution -> {
        String captured = CONTEXT.get();
        return () -> {
            String previous = CONTEXT.get();
            CONTEXT.set(captured);
            try {
                execution.run();
            } finally {
                CONTEXT.set(previous);
            }
        };
    };

    @Test
    void theDecoratorRunsInTheSubmittingThreadAtSubmit() {
        List<Thread> decoratedIn = new CopyOnWriteArrayList<>();
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(1).taskDecorator(execution -> {
            decoratedIn.add(Thread.currentThread());
            return execution;
        }));
        occupy(pool);
        pool.submit(() -> 1); // waits: the worker is busy, yet it was decorated already
        assertThat(decoratedIn).containsExactly(Thread.currentThread(), Thread.currentThread());
    }

    @Test
    void theWrapperCarriesTheSubmittersContextToTheTaskAndItsOutcome() {
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(1).taskDecorator(PROPAGATE));
        AtomicReference<String> seenByCallback = new AtomicReference<>();
        CONTEXT.set("request-1");
        TaskFuture<String> first = pool.submit(CONTEXT::get);
        assertThat(first.result()).isEqualTo("request-1");
        CONTEXT.set("request-2");
        TaskFuture<String> second = pool.submit(() -> {
            pass(gate);
            return CONTEXT.get();
        });
        // A callback added before the outcome runs in the worker, inside the wrapper: the context is there too.
        CountDownLatch callbackRan = new CountDownLatch(1);
        second.addDoneCallback(f -> {
            seenByCallback.set(CONTEXT.get());
            callbackRan.countDown();
        });
        gate.countDown();
        assertThat(second.result()).isEqualTo("request-2");
        await(callbackRan); // callbacks run after waiters are woken
        assertThat(seenByCallback).hasValue("request-2");
        assertThat(pool.submit(CONTEXT::get).result()).as("each task gets its own submitter's context")
                .isEqualTo("request-2");
        CONTEXT.remove();
        assertThat(pool.submit(CONTEXT::get).result()).isNull();
    }

    @Test
    void virtualThreadsAndCallerRunsAreWrappedToo() {
        CONTEXT.set("ctx");
        ThreadPool virtual = pool(ThreadPool.builder().virtualThreads(true).taskDecorator(PROPAGATE));
        assertThat(virtual.submit(CONTEXT::get).result()).isEqualTo("ctx");

        ThreadPool full = pool(ThreadPool.builder().maxWorkers(1).queueCapacity(0)
                .rejectionPolicy(RejectionPolicy.CALLER_RUNS).taskDecorator(execution -> () -> {
                    CONTEXT.set("wrapped");
                    execution.run();
                }));
        occupy(full);
        TaskFuture<String> ranHere = full.submit(CONTEXT::get);
        assertThat(ranHere.result()).isEqualTo("wrapped");
    }

    @Test
    void aDecoratorThatThrowsOrReturnsNullRejectsTheTask() {
        ThreadPool throwing = pool(ThreadPool.builder().taskDecorator(execution -> {
            throw new IllegalStateException("no context");
        }));
        assertThatThrownBy(() -> throwing.submit(() -> 1)).isInstanceOf(IllegalStateException.class)
                .hasMessage("no context");
        ThreadPool returningNull = pool(ThreadPool.builder().taskDecorator(execution -> null));
        assertThatNullPointerException().isThrownBy(() -> returningNull.execute(() -> { }));
        for (ThreadPool pool : List.of(throwing, returningNull)) {
            ExecutorStats stats = pool.stats();
            assertThat(stats.submitted()).isOne();
            assertThat(stats.rejected()).isOne();
            assertThat(stats.poolSize()).isZero();
        }
    }

    @Test
    void aWrapperThatFailsBeforeTheTaskOrSkipsItFailsTheFutureAndTheWorkerLivesOn() {
        IllegalStateException broken = new IllegalStateException("wrapper failed");
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(1).taskDecorator(execution -> {
            String mode = CONTEXT.get();
            return () -> {
                if ("throw".equals(mode)) {
                    throw broken;
                }
                if (!"skip".equals(mode)) {
                    execution.run();
                }
            };
        }));
        CONTEXT.set("throw");
        assertThat(pool.submit(() -> 1).exception()).isSameAs(broken);
        CONTEXT.set("skip");
        assertThat(pool.submit(() -> 1).exception()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("without running the task");
        CONTEXT.set("run");
        assertThat(pool.submit(() -> 3).result()).isEqualTo(3);
        ExecutorStats stats = pool.stats();
        assertThat(stats.failed()).isEqualTo(2);
        assertThat(stats.completed()).isOne();
        assertThat(stats.poolSize()).as("one worker served all three").isOne();
    }

    @Test
    void withoutADecoratorNothingIsWrapped() {
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(1));
        TaskFuture<Integer> future = pool.submit(() -> 1);
        assertThat(((PoolTask<Integer>) future).decoration).isNull();
        assertThat(future.result()).isOne();
    }

    private void occupy(ThreadPool pool) {
        CountDownLatch started = new CountDownLatch(1);
        pool.submit(() -> {
            started.countDown();
            pass(gate);
        });
        await(started);
    }
}
