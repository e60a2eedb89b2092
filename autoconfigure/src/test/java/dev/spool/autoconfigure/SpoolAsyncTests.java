package dev.spool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import dev.spool.futures.ProcessPool;
import dev.spool.futures.RunningTask;
import dev.spool.futures.TaskFuture;
import dev.spool.futures.ThreadPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.aop.interceptor.AsyncUncaughtExceptionHandler;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.AsyncConfigurer;
import org.springframework.scheduling.annotation.EnableAsync;

/** {@code @Async} by name, by default and with neither; {@code void} failures; {@code @Async} on a process pool. */
@ExtendWith(OutputCaptureExtension.class)
@Timeout(30)
class SpoolAsyncTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class, SpoolAutoConfiguration.class,
                    SpoolDefaultExecutorAutoConfiguration.class))
            .withUserConfiguration(AsyncApp.class)
            .withPropertyValues("spool.executors.io.max-workers=2", "spool.executors.io.thread-name-prefix=io-worker-");

    @Test
    void asyncNamingAPoolRunsThereForEveryReturnType() {
        runner.run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            assertThat(jobs.completableOnIo().get(10, TimeUnit.SECONDS)).startsWith("io-worker-");
            assertThat(jobs.futureOnIo().get(10, TimeUnit.SECONDS)).startsWith("io-worker-");
            jobs.voidOnIo();
            assertThat(jobs.ran().await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(jobs.threads()).singleElement().asString().startsWith("io-worker-");
        });
    }

    @Test
    void asyncWithoutQualifierRunsOnBootsExecutorWhenNoDefaultExecutorIsSet() {
        runner.run(context -> {
            String thread = context.getBean(Jobs.class).completableOnDefault().get(10, TimeUnit.SECONDS);
            assertThat(thread).startsWith("task-");
        });
    }

    @Test
    void asyncWithoutQualifierRunsOnTheDefaultExecutor() {
        runner.withPropertyValues("spool.default-executor=io").run(context -> {
            String thread = context.getBean(Jobs.class).completableOnDefault().get(10, TimeUnit.SECONDS);
            assertThat(thread).startsWith("io-worker-");
        });
    }

    @Test
    void aVoidMethodsExceptionReachesTheApplicationsHandlerAndIsCounted() {
        runner.withUserConfiguration(OwnAsyncConfigurer.class).run(context -> {
            OwnAsyncConfigurer configurer = context.getBean(OwnAsyncConfigurer.class);
            assertThat(configurer).isInstanceOf(SpoolAsyncConfigurer.Wrapped.class);
            context.getBean(Jobs.class).failOnIo();
            assertThat(configurer.handled().await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(configurer.failures()).singleElement().satisfies(failure -> assertThat(failure)
                    .isEqualTo("failOnIo: boom on io-worker-0"));
            AsyncFailures failures = context.getBean(AsyncFailures.class);
            assertThat(failures.count("io")).isEqualTo(1);
            assertThat(failures.counts()).containsOnlyKeys("io");
        });
    }

    @Test
    void anApplicationsAsyncConfigurerKeepsItsExecutorForAsyncWithoutQualifier() {
        runner.withUserConfiguration(OwnAsyncConfigurer.class).withPropertyValues("spool.default-executor=io")
                .run(context -> {
                    Jobs jobs = context.getBean(Jobs.class);
                    assertThat(jobs.completableOnDefault().get(10, TimeUnit.SECONDS)).startsWith("own-");
                    assertThat(jobs.completableOnIo().get(10, TimeUnit.SECONDS)).startsWith("io-worker-");
                });
    }

    @Test
    void withoutAHandlerOfItsOwnAVoidFailureIsLoggedAndCounted(CapturedOutput output) {
        runner.run(context -> {
            context.getBean(Jobs.class).failOnIo();
            AsyncFailures failures = context.getBean(AsyncFailures.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> failures.count("io") == 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> output.toString().contains("boom on io-worker-0"));
            assertThat(output).contains("Unexpected exception occurred invoking async method");
        });
    }

    @Test
    void aVoidFailureWithoutQualifierIsCountedUnderTheExecutorThatRanIt() {
        runner.run(context -> {
            context.getBean(Jobs.class).failOnDefault();
            AsyncFailures failures = context.getBean(AsyncFailures.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> failures.count("applicationTaskExecutor") == 1);
        });
        runner.withPropertyValues("spool.default-executor=io").run(context -> {
            context.getBean(Jobs.class).failOnDefault();
            AsyncFailures failures = context.getBean(AsyncFailures.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> failures.count("io") == 1);
            assertThat(failures.count("applicationTaskExecutor")).isZero();
        });
    }

    @Test
    void theExecutorNameOfAFailureFollowsSpringsQualifierLookup() throws Exception {
        runner.withPropertyValues("jobs.pool=io").run(context -> {
            SpoolAsyncConfigurer configurer = new SpoolAsyncConfigurer(context.getBeanFactory(), null,
                    AsyncFailures::new, "fallback");
            assertThat(configurer.executorName(Jobs.class.getMethod("failOnIo"))).isEqualTo("io");
            assertThat(configurer.executorName(Jobs.class.getMethod("failOnDefault"))).isEqualTo("fallback");
            assertThat(configurer.executorName(Jobs.class.getMethod("onPlaceholder"))).isEqualTo("io");
            Method onClass = ClassLevelJobs.class.getMethod("run");
            assertThat(configurer.executorName(onClass)).isEqualTo("io");
        });
    }

    // ---------------------------------------------------------------------------------------------- process pools

    @Test
    void asyncNamingAProcessPoolStopsStartUpSayingToSubmitASerializableCallable() {
        runner.withPropertyValues("spool.executors.crunch.type=process", "spool.executors.crunch.max-workers=1")
                .withUserConfiguration(CrunchJobs.class).run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().isInstanceOf(AsyncOnProcessPoolException.class);
                    FailureAnalysis analysis = SpoolStartupFailureTests.analysisOf(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .contains("@Async(\"crunch\") " + CrunchJobs.class.getName() + ".crunch(int)")
                            .contains("@Async(\"crunch\") " + CrunchJobs.class.getName() + ".viaPlaceholder()")
                            .contains("'crunch' is a process pool (spool.executors.crunch.type: process)");
                    assertThat(analysis.getAction()).contains("submit a SerializableCallable")
                            .contains("@Qualifier(\"crunch\") ProcessPool crunch;");
                });
    }

    @Test
    void asyncOnAProcessPoolIsHarmlessWithoutEnableAsync() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class, SpoolAutoConfiguration.class))
                .withPropertyValues("spool.executors.crunch.type=process", "spool.executors.crunch.max-workers=1")
                .withBean(CrunchJobs.class).run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(ProcessPool.class);
                });
    }

    // ---------------------------------------------------------------------------------------------- mistakes

    @Test
    void asyncNamingNoExecutorStopsStartUpNamingTheBeanTheMethodTheNameAndThePools() {
        runner.withPropertyValues("spool.executors.cpu.max-workers=1").withBean("typoJobs", TypoJobs.class)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .isInstanceOf(AsyncExecutorNotFoundException.class);
                    FailureAnalysis analysis = SpoolStartupFailureTests.analysisOf(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .contains("@Async on bean 'typoJobs' names an executor that does not exist")
                            .contains("@Async(\"oi\") " + TypoJobs.class.getName() + ".send(String): no executor is "
                                    + "named 'oi'")
                            .doesNotContain(".fine()")
                            .containsPattern("The executors of this application: .*io.*cpu");
                    assertThat(analysis.getAction()).contains("spool:\n      executors:\n        oi:");
                });
    }

    @Test
    void asyncNamingAnExecutorByQualifierOrBeanNamePasses() {
        runner.withUserConfiguration(QualifiedExecutor.class).withBean(QualifiedJobs.class)
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void asyncWithoutEnableAsyncLogsOneWarningNamingAMethod(CapturedOutput output) {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class, SpoolAutoConfiguration.class))
                .withPropertyValues("spool.executors.io.max-workers=1")
                .withBean(Jobs.class).withBean(TypoJobs.class).run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(output).containsOnlyOnce("runs on the caller's thread: async execution is not enabled")
                            .contains("Add @EnableAsync")
                            .containsPattern("WARN .*@Async method " + Pattern.quote(Jobs.class.getName()) + "\\.\\w+\\(");
                });
    }

    @Test
    void withEnableAsyncNothingIsLoggedAboutIt(CapturedOutput output) {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(output).doesNotContain("async execution is not enabled");
        });
    }

    @Test
    void anAsyncMethodsTaskIsNamedAfterTheMethodInTheRunningTasksAndOnlyItsTask() throws Exception {
        runner.withUserConfiguration(Holding.class).run(context -> {
            Holder holder = context.getBean(Holder.class);
            ThreadPool io = context.getBean("io", ThreadPool.class);
            CompletableFuture<String> async = holder.holdOnIo();
            TaskFuture<?> direct = holder.submitDirectly(io);
            await().atMost(Duration.ofSeconds(10)).until(() -> io.runningTasks(false).size() == 2);
            assertThat(io.runningTasks(false)).extracting(RunningTask::description).containsExactlyInAnyOrder(
                    Holder.class.getName() + ".holdOnIo",
                    Holder.class.getName() + "$$Lambda"); // the lambda written in Holder, not the method that submitted it
            holder.release().countDown();
            assertThat(async.get(10, TimeUnit.SECONDS)).startsWith("io-worker-");
            direct.result(Duration.ofSeconds(10));
        });
    }

    // ---------------------------------------------------------------------------------------------- fixtures

    @Configuration(proxyBeanMethods = false)
    @Import(Holder.class)
    static class Holding {
    }

    /** An {@code @Async} method and a plain one that submits to the pool itself, both held until released. */
    static class Holder {
        private final CountDownLatch release = new CountDownLatch(1);

        public CountDownLatch release() {
            return release;
        }

        @Async("io")
        public CompletableFuture<String> holdOnIo() throws InterruptedException {
            release.await();
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }

        public TaskFuture<?> submitDirectly(ThreadPool io) {
            return io.submit(() -> {
                release.await();
                return null;
            });
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    @Import(Jobs.class)
    static class AsyncApp {
    }

    /** {@code @Async} methods, each returning the name of the thread that ran it. */
    static class Jobs {
        private final CountDownLatch ran = new CountDownLatch(1);
        private final List<String> threads = new CopyOnWriteArrayList<>();

        // Read through methods: the bean is a subclass proxy, whose own fields are not the target's.
        public CountDownLatch ran() {
            return ran;
        }

        public List<String> threads() {
            return threads;
        }

        @Async("io")
        public CompletableFuture<String> completableOnIo() {
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }

        @Async("io")
        public Future<String> futureOnIo() {
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }

        @Async("io")
        public void voidOnIo() {
            threads.add(Thread.currentThread().getName());
            ran.countDown();
        }

        @Async
        public CompletableFuture<String> completableOnDefault() {
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }

        @Async("io")
        public void failOnIo() {
            throw new IllegalStateException("boom on " + Thread.currentThread().getName());
        }

        @Async
        public void failOnDefault() {
            throw new IllegalStateException("boom on " + Thread.currentThread().getName());
        }

        @Async("${jobs.pool}")
        public void onPlaceholder() {
        }
    }

    @Async("io")
    static class ClassLevelJobs {
        public void run() {
        }
    }

    static class CrunchJobs {
        @Async("crunch")
        public CompletableFuture<Integer> crunch(int n) {
            return CompletableFuture.completedFuture(n * n);
        }

        @Async("${crunch.pool:crunch}")
        public void viaPlaceholder() {
        }

        @Async("io")
        public void fine() {
        }
    }

    static class TypoJobs {
        @Async("oi")
        public void send(String message) {
        }

        @Async("io")
        public void fine() {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class QualifiedExecutor {
        @Bean
        @Qualifier("mail")
        Executor mailExecutor() {
            return Runnable::run;
        }
    }

    static class QualifiedJobs {
        @Async("mail")
        public void send() {
        }

        @Async("mailExecutor")
        public void byName() {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnAsyncConfigurer implements AsyncConfigurer {
        private final CountDownLatch handled = new CountDownLatch(1);
        private final List<String> failures = new CopyOnWriteArrayList<>();
        private final Executor own = Executors.newSingleThreadExecutor(r -> new Thread(r, "own-0"));

        // Read through methods: Spool keeps this bean's type with a subclass proxy, whose own fields are unset.
        CountDownLatch handled() {
            return handled;
        }

        List<String> failures() {
            return failures;
        }

        @Override
        public Executor getAsyncExecutor() {
            return own;
        }

        @Override
        public AsyncUncaughtExceptionHandler getAsyncUncaughtExceptionHandler() {
            return (exception, method, params) -> {
                failures.add(method.getName() + ": " + exception.getMessage());
                handled.countDown();
            };
        }

        @Bean(destroyMethod = "shutdown")
        java.util.concurrent.ExecutorService ownExecutor() {
            return (java.util.concurrent.ExecutorService) own;
        }
    }
}
