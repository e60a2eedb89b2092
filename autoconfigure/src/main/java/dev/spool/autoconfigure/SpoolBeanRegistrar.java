package dev.spool.autoconfigure;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import dev.spool.autoconfigure.SpoolBeans.Kind;
import dev.spool.futures.ExecutorType;
import dev.spool.futures.ProcessPool;
import dev.spool.futures.ThreadPool;
import dev.spool.threading.Barrier;
import dev.spool.threading.BoundedSemaphore;
import dev.spool.threading.Condition;
import dev.spool.threading.Event;
import dev.spool.threading.Lock;
import dev.spool.threading.RLock;
import dev.spool.threading.Semaphore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Binds {@code spool.*}, checks it for unknown keys ({@link UnknownSpoolKeys}, as {@code spool.unknown-keys} says),
 * validates it (every problem at once, see {@link SpoolConfigurationValidator}) and registers
 * one bean definition per name: executors, locks, semaphores, events, barriers and conditions, plus the
 * {@link SpoolBeans} index and the {@link SpoolLifecycle} that shuts the executors down.
 *
 * <p>It runs while {@link SpoolAutoConfiguration} is loaded, which is after the application's own configuration and
 * after Boot's {@code TaskExecutionAutoConfiguration}: so a bean the application defined under a Spool name is seen
 * here and wins (Spool backs off for that name, and says so at INFO), and Boot has already decided whether to create
 * its {@code applicationTaskExecutor} ("when there is no {@code Executor} bean") before Spool's pools, which are
 * {@code Executor} beans, exist.
 */
final class SpoolBeanRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware,
        BeanClassLoaderAware {

    /** Name of the {@link SpoolBeans} bean. */
    static final String SPOOL_BEANS = "dev.spool.autoconfigure.SpoolBeans";
    /** Name of the {@link SpoolLifecycle} bean. */
    static final String SPOOL_LIFECYCLE = "dev.spool.autoconfigure.SpoolLifecycle";
    /** Name of the {@link SpoolBackOffCheck} bean, present when Spool backed off for a name. */
    static final String SPOOL_BACK_OFF_CHECK = "dev.spool.autoconfigure.SpoolBackOffCheck";

    private static final Log logger = LogFactory.getLog(SpoolAutoConfiguration.class);

    private @Nullable Environment environment;
    private @Nullable ConfigurableListableBeanFactory beanFactory;
    private @Nullable ClassLoader classLoader;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
    }

    @Override
    public void setBeanClassLoader(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        SpoolProperties properties = Binder.get(environment()).bind("spool", SpoolProperties.class)
                .orElseGet(SpoolProperties::new);
        List<InvalidSpoolConfigurationException.Problem> unknownKeys = new ArrayList<>();
        for (UnknownSpoolKeys.Unknown unknown : UnknownSpoolKeys.find(environment())) {
            if (properties.getUnknownKeys() == SpoolProperties.UnknownKeys.WARN) {
                logger.warn(unknown.warning());
            } else {
                unknownKeys.add(unknown.problem());
            }
        }
        SpoolConfigurationValidator.validate(properties, unknownKeys);

        ConfigurableListableBeanFactory factory = beanFactory();
        Map<Kind, List<String>> names = new EnumMap<>(Kind.class);
        Map<String, SpoolProperties.Shutdown> shutdowns = new LinkedHashMap<>();
        List<SpoolBackOffCheck.BackOff> backOffs = new ArrayList<>();

        properties.getExecutors().forEach((name, spec) -> {
            names.computeIfAbsent(Kind.EXECUTOR, k -> new ArrayList<>()).add(name);
            RootBeanDefinition definition = spec.getType() == ExecutorType.PROCESS
                    ? definition(ProcessPool.class, () -> processPool(name, spec), "spool.executors." + name)
                    : definition(ThreadPool.class, () -> threadPool(name, spec,
                    SpoolTaskDecorators.forPools(factory, properties.isPropagateMdc())), "spool.executors." + name);
            // Not close(), which Spring would infer and which waits without a limit: SpoolLifecycle waits, bounded.
            definition.setDestroyMethodName("shutdown");
            if (register(registry, name, "spool.executors." + name, definition, Executor.class, backOffs)) {
                shutdowns.put(name, spec.getShutdown());
            }
        });
        properties.getLocks().forEach((name, spec) -> {
            names.computeIfAbsent(Kind.LOCK, k -> new ArrayList<>()).add(name);
            RootBeanDefinition definition = spec.isReentrant()
                    ? definition(RLock.class, () -> new RLock(name, spec.isFair()), "spool.locks." + name)
                    : definition(Lock.class, () -> new Lock(name, spec.isFair()), "spool.locks." + name);
            register(registry, name, "spool.locks." + name, definition, java.util.concurrent.locks.Lock.class,
                    backOffs);
        });
        properties.getSemaphores().forEach((name, spec) -> {
            names.computeIfAbsent(Kind.SEMAPHORE, k -> new ArrayList<>()).add(name);
            RootBeanDefinition definition = spec.isBounded()
                    ? definition(BoundedSemaphore.class,
                    () -> new BoundedSemaphore(name, spec.getPermits(), spec.isFair()), "spool.semaphores." + name)
                    : definition(Semaphore.class, () -> new Semaphore(name, spec.getPermits(), spec.isFair()),
                    "spool.semaphores." + name);
            register(registry, name, "spool.semaphores." + name, definition, Semaphore.class, backOffs);
        });
        properties.getEvents().forEach((name, spec) -> {
            names.computeIfAbsent(Kind.EVENT, k -> new ArrayList<>()).add(name);
            register(registry, name, "spool.events." + name,
                    definition(Event.class, () -> new Event(name, spec.isInitiallySet()), "spool.events." + name),
                    Event.class, backOffs);
        });
        properties.getBarriers().forEach((name, spec) -> {
            names.computeIfAbsent(Kind.BARRIER, k -> new ArrayList<>()).add(name);
            register(registry, name, "spool.barriers." + name, definition(Barrier.class,
                    () -> new Barrier(name, spec.getParties(), null, spec.getTimeout()), "spool.barriers." + name),
                    Barrier.class, backOffs);
        });
        properties.getConditions().forEach((name, spec) -> {
            names.computeIfAbsent(Kind.CONDITION, k -> new ArrayList<>()).add(name);
            String lock = spec.getLock() == null || spec.getLock().isBlank() ? null : spec.getLock();
            RootBeanDefinition definition = definition(Condition.class,
                    () -> lock == null ? new Condition(name) : condition(factory, name, lock), "spool.conditions." + name);
            if (lock != null) {
                definition.setDependsOn(lock);
            }
            register(registry, name, "spool.conditions." + name, definition, Condition.class, backOffs);
        });

        if (!backOffs.isEmpty()) {
            RootBeanDefinition check = new RootBeanDefinition(SpoolBackOffCheck.class,
                    () -> new SpoolBackOffCheck(backOffs));
            check.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
            registry.registerBeanDefinition(SPOOL_BACK_OFF_CHECK, check);
        }
        if (!registry.containsBeanDefinition(SPOOL_BEANS)) {
            RootBeanDefinition beans = new RootBeanDefinition(SpoolBeans.class, () -> new SpoolBeans(factory, names));
            beans.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
            registry.registerBeanDefinition(SPOOL_BEANS, beans);
        }
        if (!registry.containsBeanDefinition(SPOOL_LIFECYCLE)) {
            RootBeanDefinition lifecycle = new RootBeanDefinition(SpoolLifecycle.class,
                    () -> new SpoolLifecycle(factory, shutdowns));
            lifecycle.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
            registry.registerBeanDefinition(SPOOL_LIFECYCLE, lifecycle);
        }
    }

    private static <T> RootBeanDefinition definition(Class<T> type, Supplier<? extends T> supplier, String key) {
        @SuppressWarnings("unchecked")
        RootBeanDefinition definition = new RootBeanDefinition(type, (Supplier<T>) supplier);
        definition.setDescription("Spool, from " + key);
        return definition;
    }

    /**
     * @param expected what the application's own bean of that name must be, checked by {@link SpoolBackOffCheck}
     * @return false when the application already defines a bean of that name, which then wins
     */
    private static boolean register(BeanDefinitionRegistry registry, String name, String key,
                                    RootBeanDefinition definition, Class<?> expected,
                                    List<SpoolBackOffCheck.BackOff> backOffs) {
        if (registry.containsBeanDefinition(name) || registry.isAlias(name)) {
            backOffs.add(new SpoolBackOffCheck.BackOff(name, key, expected));
            String existing = registry.containsBeanDefinition(name)
                    ? describe(registry.getBeanDefinition(name)) : "an alias";
            logger.info("Spool backs off for '" + name + "': the application defines a bean of that name ("
                    + existing + "), so " + key + " is not applied and that bean is used instead");
            return false;
        }
        registry.registerBeanDefinition(name, definition);
        return true;
    }

    private static String describe(BeanDefinition definition) {
        String description = definition.getResourceDescription();
        if (description == null) {
            description = definition.getBeanClassName();
        }
        return description != null ? description : "defined in code";
    }

    private ThreadPool threadPool(String name, SpoolProperties.Executor spec, @Nullable UnaryOperator<Runnable> decorator) {
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
        return builder.build();
    }

    private ProcessPool processPool(String name, SpoolProperties.Executor spec) {
        ProcessPool.Builder builder = ProcessPool.builder().name(name).prestart(spec.isPrestart())
                .configurationPrefix("spool.executors." + name);
        if (this.classLoader != null) {
            builder.classLoader(this.classLoader);
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

    private static Condition condition(BeanFactory beanFactory, String name, String lockName) {
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

    private Environment environment() {
        if (this.environment == null) {
            throw new IllegalStateException("no Environment");
        }
        return this.environment;
    }

    private ConfigurableListableBeanFactory beanFactory() {
        if (this.beanFactory == null) {
            throw new IllegalStateException("no BeanFactory");
        }
        return this.beanFactory;
    }
}
