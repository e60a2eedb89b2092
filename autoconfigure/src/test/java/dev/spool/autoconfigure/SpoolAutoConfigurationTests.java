package dev.spool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import dev.spool.futures.ExecutorType;
import dev.spool.futures.TaskFuture;
import dev.spool.futures.ThreadPool;
import dev.spool.threading.Barrier;
import dev.spool.threading.BoundedSemaphore;
import dev.spool.threading.Condition;
import dev.spool.threading.Event;
import dev.spool.threading.Lock;
import dev.spool.threading.RLock;
import dev.spool.threading.Semaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/** Each {@code spool.*} key mapped onto the object it builds, each bean kind, injection and back-off. */
@ExtendWith(OutputCaptureExtension.class)
@Timeout(30)
class SpoolAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class, SpoolAutoConfiguration.class,
                    SpoolDefaultExecutorAutoConfiguration.class));

    // ---------------------------------------------------------------------------------------------- executors

    @Test
    void anExecutorWithNoKeysIsAThreadPoolWithTheEngineDefaults() {
        runner.withPropertyValues("spool.executors.io.type=thread").run(context -> {
            ThreadPool io = context.getBean("io", ThreadPool.class);
            assertThat(io.name()).isEqualTo("io");
            assertThat(io.type()).isEqualTo(ExecutorType.THREAD);
            assertThat(io.stats().maxWorkers()).isEqualTo(Math.min(32, Runtime.getRuntime().availableProcessors() + 4));
            assertThat(io.stats().queueCapacity()).isEqualTo(Integer.MAX_VALUE);
            assertThat(io.stats().poolSize()).isZero();
            assertThat(io.submit(() -> Thread.currentThread().getName()).result(Duration.ofSeconds(10)))
                    .isEqualTo("io-0");
        });
    }

    @Test
    void maxWorkersQueueCapacityAndPrestartAreApplied() {
        runner.withPropertyValues("spool.executors.io.max-workers=3", "spool.executors.io.queue-capacity=7",
                "spool.executors.io.prestart=true").run(context -> {
            ThreadPool io = context.getBean("io", ThreadPool.class);
            assertThat(io.stats().maxWorkers()).isEqualTo(3);
            assertThat(io.stats().queueCapacity()).isEqualTo(7);
            assertThat(io.stats().poolSize()).isEqualTo(3);
            assertThat(io.threadNames()).containsExactly("io-0", "io-1", "io-2");
        });
    }

    @Test
    void threadNamePrefixNamesTheWorkers() {
        runner.withPropertyValues("spool.executors.io.thread-name-prefix=fetcher-").run(context -> {
            ThreadPool io = context.getBean("io", ThreadPool.class);
            assertThat(io.submit(() -> Thread.currentThread().getName()).result(Duration.ofSeconds(10)))
                    .isEqualTo("fetcher-0");
        });
    }

    @Test
    void keepAliveRetiresIdleWorkers() {
        runner.withPropertyValues("spool.executors.io.keep-alive=50ms").run(context -> {
            ThreadPool io = context.getBean("io", ThreadPool.class);
            io.submit(() -> "ran").result(Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(10)).until(() -> io.stats().poolSize() == 0);
        });
    }

    @Test
    void rejectionPolicyAbortThrowsWhenTheQueueIsFull() {
        fullQueue("abort", (io, latch) -> assertThatThrownBy(() -> io.submit(() -> "third"))
                .isInstanceOf(RejectedExecutionException.class));
    }

    @Test
    void rejectionPolicyDiscardCancelsTheNewTask() {
        fullQueue("discard", (io, latch) -> assertThat(io.submit(() -> "third").cancelled()).isTrue());
    }

    @Test
    void rejectionPolicyDiscardOldestCancelsTheQueuedTask() {
        fullQueue("discard-oldest", (io, queued) -> {
            io.submit(() -> "third");
            assertThat(queued.cancelled()).isTrue();
        });
    }

    @Test
    void rejectionPolicyCallerRunsRunsTheTaskInTheSubmitter() {
        fullQueue("caller-runs", (io, queued) -> assertThat(io.submit(() -> Thread.currentThread().getName())
                .result(Duration.ofSeconds(10))).isEqualTo(Thread.currentThread().getName()));
    }

    /** One worker busy until the check is done, one task queued: the next submit meets a full queue. */
    private void fullQueue(String policy, FullQueueCheck check) {
        runner.withPropertyValues("spool.executors.io.max-workers=1", "spool.executors.io.queue-capacity=1",
                "spool.executors.io.rejection-policy=" + policy).run(context -> {
            ThreadPool io = context.getBean("io", ThreadPool.class);
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch started = new CountDownLatch(1);
            TaskFuture<?> running = io.submit(() -> {
                started.countDown();
                release.await();
                return null;
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            TaskFuture<String> queued = io.submit(() -> "second");
            try {
                check.check(io, queued);
            } finally {
                release.countDown();
            }
            running.result(Duration.ofSeconds(10));
        });
    }

    @FunctionalInterface
    private interface FullQueueCheck {
        void check(ThreadPool io, TaskFuture<String> queued) throws Exception;
    }

    @Test
    void aVirtualExecutorRunsEachTaskInAVirtualThreadWithItsLimit() {
        runner.withPropertyValues("spool.executors.burst.type=virtual", "spool.executors.burst.max-workers=50",
                "spool.executors.named.type=virtual", "spool.executors.named.thread-name-prefix=v-").run(context -> {
            ThreadPool burst = context.getBean("burst", ThreadPool.class);
            assertThat(burst.type()).isEqualTo(ExecutorType.VIRTUAL);
            assertThat(burst.stats().maxWorkers()).isEqualTo(50);
            assertThat(burst.submit(() -> Thread.currentThread().isVirtual()).result(Duration.ofSeconds(10))).isTrue();
            ThreadPool named = context.getBean("named", ThreadPool.class);
            assertThat(named.stats().maxWorkers()).isEqualTo(Integer.MAX_VALUE);
            assertThat(named.submit(() -> Thread.currentThread().getName()).result(Duration.ofSeconds(10)))
                    .startsWith("v-");
        });
    }

    @Test
    void executorsAreInjectedByNameByQualifierAndAsExecutorServices() {
        runner.withPropertyValues("spool.executors.io.max-workers=2", "spool.executors.cpu.max-workers=1")
                .withUserConfiguration(ExecutorClient.class).run(context -> {
                    ExecutorClient client = context.getBean(ExecutorClient.class);
                    assertThat(client.io).isSameAs(context.getBean("io"));
                    assertThat(client.cpu).isSameAs(context.getBean("cpu"));
                    assertThat(context.getBeansOfType(java.util.concurrent.ExecutorService.class))
                            .containsKeys("io", "cpu");
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class ExecutorClient {
        final ThreadPool io;
        final java.util.concurrent.ExecutorService cpu;

        ExecutorClient(ThreadPool io, @Qualifier("cpu") java.util.concurrent.ExecutorService cpu) {
            this.io = io;
            this.cpu = cpu;
        }
    }

    // ---------------------------------------------------------------------------------------------- primitives

    @Test
    void locksAreLockOrRLockWithTheirFairness() {
        runner.withPropertyValues("spool.locks.plain.fair=false", "spool.locks.inventory.reentrant=true",
                "spool.locks.inventory.fair=true").run(context -> {
            Lock plain = context.getBean("plain", Lock.class);
            assertThat(plain.name()).isEqualTo("plain");
            assertThat(plain.stats().reentrant()).isFalse();
            assertThat(plain.stats().fair()).isFalse();
            RLock inventory = context.getBean("inventory", RLock.class);
            assertThat(inventory.stats().reentrant()).isTrue();
            assertThat(inventory.stats().fair()).isTrue();
        });
    }

    @Test
    void locksAreInjectedAsJavaUtilConcurrentLocks() {
        runner.withPropertyValues("spool.locks.inventory.reentrant=true", "spool.locks.orders.reentrant=false")
                .withUserConfiguration(LockClient.class).run(context -> {
                    LockClient client = context.getBean(LockClient.class);
                    assertThat(client.inventory).isSameAs(context.getBean("inventory")).isInstanceOf(RLock.class);
                    assertThat(client.orders).isSameAs(context.getBean("orders")).isInstanceOf(Lock.class);
                    client.inventory.lock();
                    try (var held = ((RLock) client.inventory).hold()) {
                        assertThat(((RLock) client.inventory).holdCount()).isEqualTo(2);
                    } finally {
                        client.inventory.unlock();
                    }
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class LockClient {
        final java.util.concurrent.locks.Lock inventory;
        final java.util.concurrent.locks.Lock orders;

        LockClient(@Qualifier("inventory") java.util.concurrent.locks.Lock inventory,
                   java.util.concurrent.locks.Lock orders) {
            this.inventory = inventory;
            this.orders = orders;
        }
    }

    @Test
    void semaphoresHaveTheirPermitsBoundAndFairness() {
        runner.withPropertyValues("spool.semaphores.db.permits=10", "spool.semaphores.db.bounded=true",
                "spool.semaphores.db.fair=true", "spool.semaphores.jobs.permits=0").run(context -> {
            BoundedSemaphore db = context.getBean("db", BoundedSemaphore.class);
            assertThat(db.value()).isEqualTo(10);
            assertThat(db.stats().bounded()).isTrue();
            assertThat(db.stats().fair()).isTrue();
            assertThatThrownBy(db::release).isInstanceOf(IllegalStateException.class);
            Semaphore jobs = context.getBean("jobs", Semaphore.class);
            assertThat(jobs).isNotInstanceOf(BoundedSemaphore.class);
            assertThat(jobs.value()).isZero();
            assertThat(jobs.stats().fair()).isFalse();
            jobs.release();
            assertThat(jobs.value()).isEqualTo(1);
        });
    }

    @Test
    void aSemaphoreHasOnePermitByDefault() {
        runner.withPropertyValues("spool.semaphores.one.fair=false").run(context ->
                assertThat(context.getBean("one", Semaphore.class).value()).isEqualTo(1));
    }

    @Test
    void eventsStartSetOrClear() {
        runner.withPropertyValues("spool.events.ready.initially-set=true", "spool.events.done.initially-set=false")
                .run(context -> {
                    assertThat(context.getBean("ready", Event.class).isSet()).isTrue();
                    assertThat(context.getBean("done", Event.class).isSet()).isFalse();
                    assertThat(context.getBean("done", Event.class).name()).isEqualTo("done");
                });
    }

    @Test
    void barriersHaveTheirPartiesAndTimeout() {
        runner.withPropertyValues("spool.barriers.batch.parties=4", "spool.barriers.batch.timeout=30s",
                "spool.barriers.pair.parties=2").run(context -> {
            Barrier batch = context.getBean("batch", Barrier.class);
            assertThat(batch.parties()).isEqualTo(4);
            assertThat(batch.timeout()).isEqualTo(Duration.ofSeconds(30));
            Barrier pair = context.getBean("pair", Barrier.class);
            assertThat(pair.parties()).isEqualTo(2);
            assertThat(pair.timeout()).isNull();
        });
    }

    @Test
    void aConditionOnANamedLockSharesThatLockBean() {
        runner.withPropertyValues("spool.locks.inventory.reentrant=true", "spool.conditions.stock.lock=inventory",
                "spool.locks.plain.fair=false", "spool.conditions.gate.lock=plain").run(context -> {
            RLock inventory = context.getBean("inventory", RLock.class);
            Condition stock = context.getBean("stock", Condition.class);
            assertThat(stock.stats().lockName()).isEqualTo("inventory");
            try (var held = inventory.hold()) {
                assertThat(stock.locked()).isTrue();
                assertThat(stock.await(Duration.ZERO)).isFalse(); // allowed: this thread holds the shared lock
            }
            assertThat(stock.locked()).isFalse();
            Lock plain = context.getBean("plain", Lock.class);
            Condition gate = context.getBean("gate", Condition.class);
            assertThat(gate.stats().lockName()).isEqualTo("plain");
            plain.acquire();
            assertThat(gate.locked()).isTrue();
            plain.release();
        });
    }

    @Test
    void aConditionWithoutALockHasAReentrantLockOfItsOwn() {
        runner.withPropertyValues("spool.conditions.ticks.lock=").run(context -> {
            Condition ticks = context.getBean("ticks", Condition.class);
            assertThat(ticks.name()).isEqualTo("ticks");
            try (var outer = ticks.hold(); var inner = ticks.hold()) {
                assertThat(ticks.locked()).isTrue();
            }
            assertThat(ticks.locked()).isFalse();
        });
    }

    @Test
    void spoolBeansListsEveryBeanByKind() {
        runner.withPropertyValues("spool.executors.io.max-workers=2", "spool.locks.inventory.reentrant=true",
                "spool.semaphores.db.permits=3", "spool.events.ready.initially-set=true",
                "spool.barriers.batch.parties=2", "spool.conditions.stock.lock=inventory").run(context -> {
            SpoolBeans beans = context.getBean(SpoolBeans.class);
            assertThat(beans.names(SpoolKind.EXECUTOR)).containsExactly("io");
            assertThat(beans.executors()).containsOnlyKeys("io").containsValue(context.getBean("io", ThreadPool.class));
            assertThat(beans.locks()).containsOnlyKeys("inventory");
            assertThat(beans.semaphores()).containsOnlyKeys("db");
            assertThat(beans.events()).containsOnlyKeys("ready");
            assertThat(beans.barriers()).containsOnlyKeys("batch");
            assertThat(beans.conditions()).containsOnlyKeys("stock");
            assertThat(beans.beans(SpoolKind.CONDITION)).containsEntry("stock", context.getBean("stock"));
        });
    }

    @Test
    void withoutSpoolKeysThereAreNoSpoolBeans() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            SpoolBeans beans = context.getBean(SpoolBeans.class);
            for (SpoolKind kind : SpoolKind.values()) {
                assertThat(beans.names(kind)).isEmpty();
            }
            assertThat(context).doesNotHaveBean(ThreadPool.class);
        });
    }

    // ---------------------------------------------------------------------------------------------- back-off

    @Test
    void anApplicationBeanOfTheSameNameWinsAndTheBackOffIsLogged(CapturedOutput output) {
        runner.withPropertyValues("spool.executors.io.max-workers=2", "spool.locks.inventory.reentrant=true",
                "spool.executors.cpu.max-workers=1").withUserConfiguration(OwnBeans.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean("io")).isSameAs(context.getBean(OwnBeans.class).io);
            assertThat(context.getBean("io", ThreadPool.class).stats().maxWorkers()).isEqualTo(5);
            assertThat(context.getBean("inventory")).isInstanceOf(Lock.class);
            assertThat(context.getBean("cpu", ThreadPool.class).stats().maxWorkers()).isEqualTo(1);
            assertThat(context.getBean(SpoolBeans.class).executors()).containsOnlyKeys("io", "cpu");
            assertThat(output).contains("Spool backs off for 'io'").contains("spool.executors.io is not applied")
                    .contains("Spool backs off for 'inventory'");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        final ThreadPool io = ThreadPool.builder().name("io").maxWorkers(5).build();

        @Bean
        ThreadPool io() {
            return io;
        }

        @Bean
        Lock inventory() {
            return new Lock("mine");
        }
    }

    @Test
    void anApplicationBeanThatOnlySharesTheNameStopsStartUpNamingTheKey() {
        runner.withPropertyValues("spool.locks.inventory.reentrant=true", "spool.executors.io.max-workers=2")
                .withUserConfiguration(Unrelated.class).run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).isInstanceOf(InvalidSpoolConfigurationException.class);
                    InvalidSpoolConfigurationException failure =
                            (InvalidSpoolConfigurationException) context.getStartupFailure();
                    assertThat(failure.problems()).singleElement().satisfies(p -> {
                        assertThat(p.key()).isEqualTo("spool.locks.inventory");
                        assertThat(p.description()).contains("java.lang.StringBuilder")
                                .contains("java.util.concurrent.locks.Lock");
                        assertThat(p.action()).contains("rename");
                    });
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class Unrelated {
        @Bean
        StringBuilder inventory() {
            return new StringBuilder("a warehouse, not a lock");
        }
    }

    @Test
    void aConditionOnALockTheApplicationDefinesUsesThatBean() {
        runner.withPropertyValues("spool.locks.inventory.reentrant=true", "spool.conditions.stock.lock=inventory")
                .withUserConfiguration(OwnBeans.class).run(context -> {
                    assertThat(context.getBean("stock", Condition.class).stats().lockName()).isEqualTo("mine");
                });
    }

    // ---------------------------------------------------------------------------------------------- Boot's executor

    @Test
    void withoutDefaultExecutorBootsApplicationTaskExecutorStaysAsBootMakesIt() {
        runner.withPropertyValues("spool.executors.io.max-workers=2", "spring.task.execution.pool.core-size=3",
                "spring.task.execution.thread-name-prefix=boot-").run(context -> {
            assertThat(context).hasBean("applicationTaskExecutor");
            ThreadPoolTaskExecutor boot = context.getBean("applicationTaskExecutor", ThreadPoolTaskExecutor.class);
            assertThat(boot.getCorePoolSize()).isEqualTo(3);
            assertThat(boot.getThreadNamePrefix()).isEqualTo("boot-");
            assertThat(context).hasSingleBean(ThreadPoolTaskExecutor.class);
            assertThat(context.getBeansOfType(ThreadPool.class)).containsOnlyKeys("io");
        });
    }

    @Test
    void withDefaultExecutorApplicationTaskExecutorIsTheNamedPool() {
        runner.withPropertyValues("spool.executors.io.max-workers=2", "spool.default-executor=io").run(context -> {
            assertThat(context).doesNotHaveBean(ThreadPoolTaskExecutor.class);
            DefaultExecutorAdapter adapter = context.getBean("applicationTaskExecutor", DefaultExecutorAdapter.class);
            assertThat(adapter.executorName()).isEqualTo("io");
            assertThat(adapter.executor()).isSameAs(context.getBean("io"));
            assertThat(adapter.submitCompletable(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS))
                    .isEqualTo("io-0");
            assertThat(adapter.submit(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS))
                    .startsWith("io-");
            assertThat(context.getBean("bootstrapExecutor")).isSameAs(adapter);
        });
    }

    @Test
    void anApplicationTaskExecutorOfTheApplicationWinsOverTheDefaultExecutor() {
        runner.withPropertyValues("spool.executors.io.max-workers=2", "spool.default-executor=io")
                .withUserConfiguration(OwnApplicationTaskExecutor.class).run(context -> {
                    assertThat(context.getBean("applicationTaskExecutor")).isInstanceOf(ThreadPoolTaskExecutor.class);
                    assertThat(context).doesNotHaveBean(DefaultExecutorAdapter.class);
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnApplicationTaskExecutor {
        @Bean
        ThreadPoolTaskExecutor applicationTaskExecutor() {
            return new ThreadPoolTaskExecutor();
        }
    }

    @Test
    void propertiesAreBoundOnceIntoTheSpoolPropertiesBean() {
        runner.withPropertyValues("spool.executors.io.max-workers=2", "spool.propagate-mdc=false").run(context -> {
            SpoolProperties properties = context.getBean(SpoolProperties.class);
            assertThat(properties.getExecutors()).containsOnlyKeys("io");
            assertThat(properties.isPropagateMdc()).isFalse();
            assertThat(properties.getExecutors().get("io").getShutdown().getAwaitTermination())
                    .isEqualTo(Duration.ofSeconds(30));
        });
    }

    @Test
    void everyExecutorBeanHasABoundedDestroyMethod() {
        runner.withPropertyValues("spool.executors.io.max-workers=2").run(context -> {
            var definition = context.getBeanFactory().getBeanDefinition("io");
            assertThat(definition.getDestroyMethodName()).isEqualTo("shutdown");
            assertThat(definition.getDescription()).isEqualTo("Spool, from spool.executors.io");
            assertThat(List.of(context.getBeanNamesForType(SpoolLifecycle.class))).hasSize(1);
            assertThat(Map.of("phase", context.getBean(SpoolLifecycle.class).getPhase()))
                    .containsEntry("phase", Integer.MAX_VALUE / 2 - 1024);
        });
    }
}
