package dev.spool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.spool.futures.TaskFuture;
import dev.spool.futures.ThreadPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Pools shut down on context close: in their phase, without losing an accepted task, bounded by their deadline. */
@ExtendWith(OutputCaptureExtension.class)
@Timeout(30)
class SpoolLifecycleTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class, SpoolAutoConfiguration.class))
            .withPropertyValues("spool.executors.io.max-workers=1");

    @Test
    void aTaskAcceptedBeforeCloseCompletesAndOneSubmittedAfterIsRejected() {
        runner.run(context -> {
            ThreadPool io = context.getBean("io", ThreadPool.class);
            CountDownLatch release = new CountDownLatch(1);
            TaskFuture<String> running = runningUntil(io, release, "running");
            TaskFuture<String> queued = io.submit(() -> "queued");

            Thread closer = Thread.ofPlatform().name("closer").start(context::close);
            await().atMost(Duration.ofSeconds(10)).until(io::isShutdown);
            assertThatThrownBy(() -> io.submit(() -> "late")).isInstanceOf(RejectedExecutionException.class);
            assertThat(closer.isAlive()).as("close waits for the accepted tasks").isTrue();
            assertThat(queued.done()).isFalse();

            release.countDown();
            assertThat(closer.join(Duration.ofSeconds(10))).isTrue();
            assertThat(running.result(Duration.ZERO)).isEqualTo("running");
            assertThat(queued.result(Duration.ZERO)).isEqualTo("queued");
            assertThat(io.isTerminated()).isTrue();
        });
    }

    @Test
    void eachPoolLogsOneLineSayingWhatItDrainedAndCancelledAndHowLongItTook(CapturedOutput output) {
        runner.withPropertyValues("spool.executors.cpu.max-workers=1", "spool.executors.cpu.shutdown.cancel-futures=true")
                .run(context -> {
                    ThreadPool io = context.getBean("io", ThreadPool.class);
                    ThreadPool cpu = context.getBean("cpu", ThreadPool.class);
                    CountDownLatch release = new CountDownLatch(1);
                    runningUntil(io, release, "io");
                    io.submit(() -> "queued on io");
                    runningUntil(cpu, release, "cpu");
                    cpu.submit(() -> "cancelled");
                    cpu.submit(() -> "cancelled too");

                    Thread closer = Thread.ofPlatform().name("closer").start(context::close);
                    await().atMost(Duration.ofSeconds(10)).until(() -> io.isShutdown() && cpu.isShutdown());
                    release.countDown();
                    assertThat(closer.join(Duration.ofSeconds(10))).isTrue();
                });
        assertThat(output).containsOnlyOnce("Executor 'io' shut down in ")
                .containsOnlyOnce("Executor 'cpu' shut down in ")
                .containsPattern("INFO .*Executor 'io' shut down in \\d+ ms: 2 task\\(s\\) drained \\(2 completed, 0 failed\\), "
                        + "0 cancelled, of 2 running or queued at shutdown")
                .containsPattern("Executor 'cpu' shut down in \\d+ ms: 1 task\\(s\\) drained \\(1 completed, 0 failed\\), "
                        + "2 cancelled, of 3 running or queued at shutdown");
    }

    @Test
    void poolsAreWaitedOnInParallelSoAFastOneIsReportedWhileASlowOneRuns(CapturedOutput output) {
        // slow is defined first; its task ends only once fast has been reported, which a one-by-one wait never does
        runner.withPropertyValues("spool.executors.slow.max-workers=1", "spool.executors.fast.max-workers=1",
                "spool.executors.slow.shutdown.await-termination=20s").run(context -> {
                    ThreadPool slow = context.getBean("slow", ThreadPool.class);
                    CountDownLatch started = new CountDownLatch(1);
                    slow.submit(() -> {
                        started.countDown();
                        await().atMost(Duration.ofSeconds(15)).until(() -> output.toString()
                                .contains("Executor 'fast' shut down in "));
                        return "slow";
                    });
                    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
                });
        assertThat(output).contains("Executor 'slow' shut down in ").doesNotContain("stopped waiting")
                .doesNotContain("did not terminate");
        assertThat(output.toString().indexOf("Executor 'fast' shut down"))
                .isLessThan(output.toString().indexOf("Executor 'slow' shut down"));
    }

    @Test
    void aPoolStillBusyAtItsDeadlineSaysSoInItsLine(CapturedOutput output) {
        runner.withPropertyValues("spool.executors.io.shutdown.await-termination=0s").run(context -> {
            ThreadPool io = context.getBean("io", ThreadPool.class);
            CountDownLatch release = new CountDownLatch(1);
            runningUntil(io, release, "busy");
            try {
                context.close();
            } finally {
                release.countDown();
            }
        });
        assertThat(output).containsPattern("Executor 'io' stopped waiting after \\d+ ms with tasks left "
                + "\\(spool.executors.io.shutdown.await-termination\\): 0 task\\(s\\) drained");
    }

    @Test
    void cancelFuturesCancelsTheQueuedTasksAndLetsTheRunningOneFinish() {
        runner.withPropertyValues("spool.executors.io.shutdown.cancel-futures=true").run(context -> {
            ThreadPool io = context.getBean("io", ThreadPool.class);
            CountDownLatch release = new CountDownLatch(1);
            TaskFuture<String> running = runningUntil(io, release, "running");
            TaskFuture<String> queued = io.submit(() -> "queued");

            Thread closer = Thread.ofPlatform().name("closer").start(context::close);
            await().atMost(Duration.ofSeconds(10)).until(io::isShutdown);
            assertThat(queued.cancelled()).isTrue();
            release.countDown();
            assertThat(closer.join(Duration.ofSeconds(10))).isTrue();
            assertThat(running.result(Duration.ZERO)).isEqualTo("running");
        });
    }

    @Test
    void aTaskStillRunningAtTheDeadlineIsNamedInTheLogAndCloseGoesOn(CapturedOutput output) {
        runner.withPropertyValues("spool.executors.io.shutdown.await-termination=100ms",
                "spool.executors.io.thread-name-prefix=stuck-").run(context -> {
            ThreadPool io = context.getBean("io", ThreadPool.class);
            CountDownLatch release = new CountDownLatch(1);
            TaskFuture<String> stuck = runningUntil(io, release, "finished late");
            long start = System.nanoTime();
            context.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(60));
            assertThat(output).contains("Executor 'io' did not terminate within 100ms of shutdown "
                    + "(spool.executors.io.shutdown.await-termination): 1 task(s) running, in threads [stuck-0]; "
                    + "they are left to end on their own");
            assertThat(stuck.done()).isFalse();
            release.countDown();
            assertThat(stuck.result(Duration.ofSeconds(10))).isEqualTo("finished late");
        });
    }

    @Test
    void poolsStopAfterTheWebServerAndBeforeAnyBeanIsDestroyed() {
        runner.withUserConfiguration(Witnesses.class).run(context -> {
            ThreadPool io = context.getBean("io", ThreadPool.class);
            io.submit(() -> "warm").result(Duration.ofSeconds(10));
            Witnesses witnesses = context.getBean(Witnesses.class);
            context.close();
            assertThat(witnesses.trace).containsExactly(
                    "web server stops: io shut down = false",
                    "bean destroyed: io terminated = true");
        });
        assertThat(SpoolLifecycle.PHASE).isLessThan(SmartLifecycle.DEFAULT_PHASE - 2048) // the web server's phase
                .isLessThan(Integer.MAX_VALUE / 2) // Spring's executors and schedulers
                .isGreaterThan(0); // plain Lifecycle beans
    }

    /** Submits a task that returns {@code result} once {@code release} opens; returns when it is running. */
    private static TaskFuture<String> runningUntil(ThreadPool io, CountDownLatch release, String result)
            throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        TaskFuture<String> task = io.submit(() -> {
            started.countDown();
            release.await();
            return result;
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        return task;
    }

    /** Depends on {@code io}, so Spring destroys it before {@code io}'s own destroy method runs. */
    @Configuration(proxyBeanMethods = false)
    static class Witnesses implements DisposableBean {
        final List<String> trace = new CopyOnWriteArrayList<>();
        private final ThreadPool io;

        Witnesses(@Qualifier("io") ThreadPool io) {
            this.io = io;
        }

        /** Stands for the web server, which stops at {@code WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE}. */
        @Bean
        SmartLifecycle webServer() {
            return new SmartLifecycle() {
                private volatile boolean running;

                @Override
                public void start() {
                    running = true;
                }

                @Override
                public void stop() {
                    trace.add("web server stops: io shut down = " + io.isShutdown());
                    running = false;
                }

                @Override
                public boolean isRunning() {
                    return running;
                }

                @Override
                public int getPhase() {
                    return SmartLifecycle.DEFAULT_PHASE - 2048;
                }
            };
        }

        @Override
        public void destroy() {
            trace.add("bean destroyed: io terminated = " + io.isTerminated());
        }
    }

    @Test
    void aPoolNeverCreatedIsNotCreatedToBeShutDown() {
        runner.withInitializer(context -> context.addBeanFactoryPostProcessor(
                new LazyInitializationBeanFactoryPostProcessor())).run(context -> {
            assertThat(context.getBeanFactory().containsSingleton("io")).isFalse();
            context.close();
            assertThat(context.getBeanFactory().containsSingleton("io")).isFalse();
        });
    }

    @Test
    void aContextThatFailsToStartShutsDownThePoolsItBuilt() {
        CreatedBeforeFailure.pool.set(null);
        runner.withUserConfiguration(CreatedBeforeFailure.class).run(context -> {
            assertThat(context).hasFailed();
            ThreadPool io = CreatedBeforeFailure.pool.get();
            assertThat(io).isNotNull();
            assertThat(io.isShutdown()).isTrue();
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class CreatedBeforeFailure {
        static final AtomicReference<ThreadPool> pool = new AtomicReference<>();

        @Bean
        Object failing(org.springframework.beans.factory.BeanFactory beanFactory) {
            pool.set(beanFactory.getBean("io", ThreadPool.class));
            throw new IllegalStateException("this bean cannot start");
        }
    }
}
