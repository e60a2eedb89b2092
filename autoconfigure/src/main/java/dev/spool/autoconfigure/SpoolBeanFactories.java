package dev.spool.autoconfigure;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import dev.spool.futures.ExecutorType;
import dev.spool.futures.ProcessPool;
import dev.spool.futures.ScheduledPool;
import dev.spool.futures.ThreadPool;
import dev.spool.threading.Barrier;
import dev.spool.threading.BoundedSemaphore;
import dev.spool.threading.Condition;
import dev.spool.threading.Event;
import dev.spool.threading.Lock;
import dev.spool.threading.RLock;
import dev.spool.threading.Semaphore;
import dev.spool.threading.spi.SharedBackend;
import dev.spool.threading.spi.SharedEvent;
import dev.spool.threading.spi.SharedLock;
import dev.spool.threading.spi.SharedSemaphore;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * How each kind's bean is made from one name's properties: the factories {@link SpoolKind}'s entries name. Each
 * returns a {@link Recipe}, the bean's class and a supplier that {@link SpoolBeanRegistrar} registers; nothing is
 * built until the context creates the bean.
 */
final class SpoolBeanFactories {

    private SpoolBeanFactories() {
    }

    /**
     * What the factories may need besides a name's own properties.
     *
     * @param beanFactory where a condition finds its lock and a pool its task decorators
     * @param classLoader the application's class loader, for process pools; null for the default
     * @param properties  the whole configuration ({@code propagate-mdc}, {@code propagate-context}, {@code backend})
     * @param shared      the backends of the primitives whose state is not local
     */
    record Context(ConfigurableListableBeanFactory beanFactory, @Nullable ClassLoader classLoader,
                   SpoolProperties properties, SharedBackends shared) {

        Context(ConfigurableListableBeanFactory beanFactory, @Nullable ClassLoader classLoader,
                SpoolProperties properties) {
            this(beanFactory, classLoader, properties, new SharedBackends(beanFactory));
        }

        /** @return the backend of a primitive that is not local, found and checked; see {@link SharedBackends} */
        SharedBackend backend(SpoolKind kind, String name, SpoolProperties.PrimitiveSpec spec) {
            String key = spec.getBackend() != null ? kind.key(name) + ".backend" : "spool.backend";
            return this.shared.get(this.properties.backendOf(spec), key);
        }

        boolean isShared(SpoolProperties.PrimitiveSpec spec) {
            return this.properties.backendOf(spec) != SpoolProperties.Backend.LOCAL;
        }
    }

    /**
     * One bean to register.
     *
     * @param type          its class
     * @param instance      makes it
     * @param dependsOn     a bean it must be created after, null for none
     * @param destroyMethod what Spring calls when the context closes, null to let Spring infer it
     * @param shutdown      how {@link SpoolLifecycle} shuts it down and waits, null when it has no part in that
     */
    record Recipe(Class<?> type, Supplier<?> instance, @Nullable String dependsOn, @Nullable String destroyMethod,
                  SpoolProperties.@Nullable Shutdown shutdown) {

        static <T> Recipe of(Class<T> type, Supplier<? extends T> instance) {
            return new Recipe(type, instance, null, null, null);
        }

        Recipe dependsOn(@Nullable String bean) {
            return new Recipe(this.type, this.instance, bean, this.destroyMethod, this.shutdown);
        }

        Recipe shutDownBy(String destroyMethod, SpoolProperties.Shutdown shutdown) {
            return new Recipe(this.type, this.instance, this.dependsOn, destroyMethod, shutdown);
        }
    }

    static Recipe executor(String name, SpoolProperties.Executor spec, Context context) {
        SpoolProperties properties = context.properties();
        Recipe recipe = switch (spec.getType()) {
            case PROCESS -> Recipe.of(ProcessPool.class, () -> processPool(name, spec, properties.runTimeoutOf(spec),
                    context.classLoader(), properties.isPropagateMdc() && SpoolTaskDecorators.SLF4J_PRESENT));
            case SCHEDULED -> Recipe.of(ScheduledPool.class, () -> scheduledPool(name, spec,
                    properties.runTimeoutOf(spec), SpoolTaskDecorators.forPools(context.beanFactory(),
                            properties.isPropagateContext(), properties.isPropagateMdc())));
            case THREAD, VIRTUAL -> Recipe.of(ThreadPool.class, () -> threadPool(name, spec,
                    properties.runTimeoutOf(spec), SpoolTaskDecorators.forPools(context.beanFactory(),
                            properties.isPropagateContext(), properties.isPropagateMdc())));
        };
        // Not close(), which Spring would infer and which waits without a limit: SpoolLifecycle waits, bounded.
        return recipe.shutDownBy("shutdown", spec.getShutdown());
    }

    static Recipe lock(String name, SpoolProperties.LockSpec spec, Context context) {
        if (context.isShared(spec)) {
            Supplier<SharedLock> state = () -> context.backend(SpoolKind.LOCK, name, spec)
                    .lock(name, spec.isReentrant(), spec.isFair(), spec.leaseOrDefault());
            return spec.isReentrant()
                    ? Recipe.of(RLock.class, () -> RLock.shared(name, state.get()))
                    : Recipe.of(Lock.class, () -> Lock.shared(name, state.get()));
        }
        return spec.isReentrant()
                ? Recipe.of(RLock.class, () -> new RLock(name, spec.isFair()))
                : Recipe.of(Lock.class, () -> new Lock(name, spec.isFair()));
    }

    static Recipe semaphore(String name, SpoolProperties.SemaphoreSpec spec, Context context) {
        if (context.isShared(spec)) {
            Supplier<SharedSemaphore> state = () -> context.backend(SpoolKind.SEMAPHORE, name, spec)
                    .semaphore(name, spec.getPermits(), spec.isBounded(), spec.leaseOrDefault());
            return spec.isBounded()
                    ? Recipe.of(BoundedSemaphore.class,
                    () -> BoundedSemaphore.shared(name, spec.getPermits(), state.get()))
                    : Recipe.of(Semaphore.class, () -> Semaphore.shared(name, spec.getPermits(), state.get()));
        }
        return spec.isBounded()
                ? Recipe.of(BoundedSemaphore.class, () -> new BoundedSemaphore(name, spec.getPermits(), spec.isFair()))
                : Recipe.of(Semaphore.class, () -> new Semaphore(name, spec.getPermits(), spec.isFair()));
    }

    static Recipe event(String name, SpoolProperties.EventSpec spec, Context context) {
        if (context.isShared(spec)) {
            // No initially-set (the validator refuses it): the flag lives in Redis and outlives every instance.
            return Recipe.of(Event.class, () -> {
                SharedEvent state = context.backend(SpoolKind.EVENT, name, spec).event(name);
                return Event.shared(name, state);
            });
        }
        return Recipe.of(Event.class, () -> new Event(name, spec.isInitiallySet()));
    }

    static Recipe barrier(String name, SpoolProperties.BarrierSpec spec, Context context) {
        return Recipe.of(Barrier.class, () -> new Barrier(name, spec.getParties(), null, spec.getTimeout()));
    }

    static Recipe condition(String name, SpoolProperties.ConditionSpec spec, Context context) {
        String lock = spec.getLock() == null || spec.getLock().isBlank() ? null : spec.getLock();
        if (lock == null) {
            return Recipe.of(Condition.class, () -> new Condition(name));
        }
        return Recipe.of(Condition.class, () -> condition(context.beanFactory(), name, lock)).dependsOn(lock);
    }

    private static Condition condition(ConfigurableListableBeanFactory beanFactory, String name, String lockName) {
        Object lock = beanFactory.getBean(lockName);
        if (lock instanceof RLock rlock) {
            return new Condition(name, rlock);
        }
        if (lock instanceof Lock plain) {
            return new Condition(name, plain);
        }
        throw new IllegalStateException("spool.conditions." + name + ".lock names '" + lockName + "', whose bean is a "
                + lock.getClass().getName() + "; a condition needs a dev.spool.threading.Lock or RLock");
    }

    /**
     * @param runTimeout the executor's run-timeout, its own or {@code spool.executor-defaults}'; null for none
     * @param decorator  the task decorators of the context, null for none
     */
    private static ThreadPool threadPool(String name, SpoolProperties.Executor spec, @Nullable Duration runTimeout,
                                         @Nullable UnaryOperator<Runnable> decorator) {
        ThreadPool.Builder builder = ThreadPool.builder()
                .name(name)
                .virtualThreads(spec.getType() == ExecutorType.VIRTUAL)
                .rejectionPolicy(spec.getRejectionPolicy())
                .keepAlive(spec.getKeepAlive())
                .prestart(spec.isPrestart());
        if (spec.getMaxWorkers() != null) {
            builder.maxWorkers(spec.getMaxWorkers());
        }
        if (spec.getQueueCapacity() != null) {
            builder.queueCapacity(spec.getQueueCapacity());
        }
        if (spec.getThreadNamePrefix() != null) {
            builder.threadNamePrefix(spec.getThreadNamePrefix());
        }
        if (decorator != null) {
            builder.taskDecorator(decorator);
        }
        if (runTimeout != null) {
            builder.runTimeout(runTimeout).interruptOnRunTimeout(spec.isInterruptOnRunTimeout());
        }
        if (spec.getQueueTimeout() != null) {
            builder.queueTimeout(spec.getQueueTimeout()).cancelOnQueueTimeout(spec.isCancelOnQueueTimeout());
        }
        return builder.build();
    }

    /**
     * A scheduled pool: the keys of a thread pool that apply to its workers (the validator refuses the others).
     *
     * @param runTimeout the executor's run-timeout, its own or {@code spool.executor-defaults}'; null for none
     * @param decorator  the task decorators of the context, null for none
     */
    private static ScheduledPool scheduledPool(String name, SpoolProperties.Executor spec,
                                               @Nullable Duration runTimeout,
                                               @Nullable UnaryOperator<Runnable> decorator) {
        ScheduledPool.Builder builder = ScheduledPool.builder().name(name).keepAlive(spec.getKeepAlive())
                .prestart(spec.isPrestart());
        if (spec.getMaxWorkers() != null) {
            builder.maxWorkers(spec.getMaxWorkers());
        }
        if (spec.getThreadNamePrefix() != null) {
            builder.threadNamePrefix(spec.getThreadNamePrefix());
        }
        if (decorator != null) {
            builder.taskDecorator(decorator);
        }
        if (runTimeout != null) {
            builder.runTimeout(runTimeout).interruptOnRunTimeout(spec.isInterruptOnRunTimeout());
        }
        return builder.build();
    }

    /**
     * @param runTimeout   the executor's run-timeout, its own or {@code spool.executor-defaults}'; null for none
     * @param propagateMdc {@code spool.propagate-mdc}, when SLF4J is present: the MDC's strings reach the workers
     */
    private static ProcessPool processPool(String name, SpoolProperties.Executor spec, @Nullable Duration runTimeout,
                                           @Nullable ClassLoader classLoader, boolean propagateMdc) {
        ProcessPool.Builder builder = ProcessPool.builder().name(name).prestart(spec.isPrestart())
                .configurationPrefix("spool.executors." + name).propagateMdc(propagateMdc);
        if (classLoader != null) {
            builder.classLoader(classLoader);
        }
        if (spec.getMaxWorkers() != null) {
            builder.maxWorkers(spec.getMaxWorkers());
        }
        if (spec.getMaxTasksPerChild() != null) {
            builder.maxTasksPerChild(spec.getMaxTasksPerChild());
        }
        if (spec.getJvmOptions() != null) {
            builder.jvmOptions(spec.getJvmOptions());
        }
        if (runTimeout != null) {
            builder.runTimeout(runTimeout); // detection only: no interrupt-on-run-timeout (the validator refuses it)
        }
        if (spec.getQueueTimeout() != null) {
            builder.queueTimeout(spec.getQueueTimeout()).cancelOnQueueTimeout(spec.isCancelOnQueueTimeout());
        }
        ProcessPool pool = builder.build();
        if (spec.isPrestart()) {
            awaitWorkers(pool); // prestart: true promises working workers once the context is up
        }
        return pool;
    }

    /**
     * Waits until the prestarted workers are ready, so that workers that cannot start stop start-up (explained by
     * {@link ProcessPoolStartFailureAnalyzer}) instead of a context that starts with a broken pool.
     */
    private static void awaitWorkers(ProcessPool pool) {
        try {
            pool.awaitReady();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
            throw new IllegalStateException("interrupted while the workers of process pool '" + pool.name()
                    + "' were starting", interrupted);
        } catch (RuntimeException failed) {
            pool.shutdownNow();
            throw failed;
        }
    }
}
