package dev.spool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.spool.futures.ThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

/** {@link DefaultExecutorAdapter#submitCompletable}: the exception shape of Spring's executors, and cancellation. */
@Timeout(30)
class DefaultExecutorAdapterTests {

    private final ThreadPool pool = ThreadPool.builder().name("io").maxWorkers(1).build();
    private final DefaultExecutorAdapter adapter = adapter(pool);

    @AfterEach
    void shutDown() {
        pool.shutdown(false, true);
    }

    @Test
    void aFailingCallableCompletesWithACompletionExceptionAsTheRunnableTwinDoes() throws Exception {
        IOException failure = new IOException("disk full");
        CompletableFuture<Object> callable = adapter.submitCompletable(() -> {
            throw failure;
        });
        CompletableFuture<Void> runnable = adapter.submitCompletable(() -> {
            throw new IllegalStateException("boom");
        });

        AtomicReference<Throwable> seenByStage = new AtomicReference<>();
        callable.whenComplete((value, error) -> seenByStage.set(error)).exceptionally(error -> null)
                .get(10, TimeUnit.SECONDS);
        assertThat(seenByStage.get()).isInstanceOf(CompletionException.class).hasCause(failure);
        assertThatThrownBy(callable::join).isInstanceOf(CompletionException.class).hasCause(failure);
        assertThatThrownBy(() -> callable.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCause(failure);

        assertThatThrownBy(runnable::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSucceedingCallableCompletesWithItsResult() throws Exception {
        assertThat(adapter.submitCompletable(() -> 42).get(10, TimeUnit.SECONDS)).isEqualTo(42);
    }

    @Test
    void cancellingTheFutureOfAQueuedTaskMeansTheTaskNeverRuns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Boolean> blocker = adapter.submitCompletable(() -> release.await(20, TimeUnit.SECONDS));
        AtomicBoolean ran = new AtomicBoolean();
        CompletableFuture<Boolean> queued = adapter.submitCompletable(() -> ran.getAndSet(true));
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats().queued() == 1);

        assertThat(queued.cancel(false)).isTrue();
        assertThat(queued).isCancelled();
        assertThatThrownBy(queued::join).isInstanceOf(CancellationException.class);
        release.countDown();
        assertThat(blocker.get(10, TimeUnit.SECONDS)).isTrue();
        pool.shutdown(true, false);
        assertThat(ran).isFalse();
        assertThat(pool.stats().cancelled()).isEqualTo(1);
    }

    @Test
    void cancelTrueInterruptsARunningTask() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CompletableFuture<String> running = adapter.submitCompletable(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await(20, TimeUnit.SECONDS);
                return "not interrupted";
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(running.cancel(true)).isTrue();
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(running).isCancelled();
    }

    @Test
    void cancelFalseOnARunningTaskLeavesItAndItsOutcome() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> running = adapter.submitCompletable(() -> {
            started.countDown();
            release.await(20, TimeUnit.SECONDS);
            return "done";
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(running.cancel(false)).isFalse();
        release.countDown();
        assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo("done");
    }

    private static DefaultExecutorAdapter adapter(ThreadPool pool) {
        DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
        beanFactory.registerSingleton("io", pool);
        return new DefaultExecutorAdapter(beanFactory, "io");
    }
}
