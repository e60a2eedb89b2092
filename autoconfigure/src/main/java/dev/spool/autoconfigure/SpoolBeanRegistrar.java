package dev.spool.autoconfigure;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.spool.futures.ScheduledPool;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.config.TaskManagementConfigUtils;

/**
 * Binds {@code spool.*} once ({@link SpoolPropertiesBinding}: the {@link SpoolProperties} bean and its unknown keys),
 * reports unknown keys as {@code spool.unknown-keys} says, validates the configuration (every problem at once, see
 * {@link SpoolConfigurationValidator}) and registers one bean definition per name of every {@link SpoolKind}, plus the
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
        SpoolPropertiesBinding binding = SpoolPropertiesBinding.bind(environment());
        SpoolProperties properties = binding.properties();
        List<InvalidSpoolConfigurationException.Problem> unknownKeys = new ArrayList<>();
        for (UnknownSpoolKeys.Unknown unknown : binding.unknownKeys()) {
            if (properties.getUnknownKeys() == SpoolProperties.UnknownKeys.WARN) {
                logger.warn(unknown.warning());
            } else {
                unknownKeys.add(unknown.problem());
            }
        }
        SpoolConfigurationValidator.validate(properties, unknownKeys);
        ConfigurableListableBeanFactory factory = beanFactory();
        binding.register(factory);

        SpoolBeanFactories.Context context = new SpoolBeanFactories.Context(factory, this.classLoader, properties);
        Map<SpoolKind, List<String>> names = new EnumMap<>(SpoolKind.class);
        Map<String, SpoolProperties.Shutdown> shutdowns = new LinkedHashMap<>();
        List<SpoolBackOffCheck.BackOff> backOffs = new ArrayList<>();
        List<String> scheduledPools = new ArrayList<>();
        for (SpoolKind kind : SpoolKind.values()) {
            names.put(kind, kind.names(properties));
            kind.recipes(properties, context).forEach((name, recipe) -> {
                String key = kind.key(name);
                if (register(registry, name, key, definition(recipe, key), kind.applicationType(), backOffs)) {
                    if (recipe.shutdown() != null) {
                        shutdowns.put(name, recipe.shutdown());
                    }
                    if (recipe.type() == ScheduledPool.class) {
                        scheduledPools.add(name);
                    }
                }
            });
        }
        registerTaskSchedulers(registry, factory, scheduledPools);

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

    /**
     * With {@code @EnableScheduling}, gives each scheduled pool a {@link ScheduledPoolTaskScheduler}, which
     * {@code @Scheduled(scheduler = "<name>")} finds by the pool's name (its qualifier) before the pool itself, so a
     * failing run counts as failed. It is no default candidate: an unqualified {@code TaskScheduler} resolves as
     * without Spool. Spring takes a sole {@code TaskScheduler} as the default whatever its flags, though, so when the
     * context defines no other one (it made its own {@code ScheduledExecutorService} instead of Boot's
     * {@code taskScheduler}) none is registered: the other {@code @Scheduled} methods must not move to a Spool pool.
     */
    private static void registerTaskSchedulers(BeanDefinitionRegistry registry, ConfigurableListableBeanFactory factory,
                                               List<String> scheduledPools) {
        if (scheduledPools.isEmpty()
                || !registry.containsBeanDefinition(TaskManagementConfigUtils.SCHEDULED_ANNOTATION_PROCESSOR_BEAN_NAME)) {
            return;
        }
        if (factory.getBeanNamesForType(TaskScheduler.class, true, false).length == 0) {
            logger.info("Spool registers no TaskScheduler for the scheduled pools " + scheduledPools + ": the context"
                    + " defines no TaskScheduler of its own, and Spring would take Spool's as the default for every"
                    + " @Scheduled method. @Scheduled(scheduler = ...) still runs on the pool, but Spring's error"
                    + " handler then hides a failing run from the pool, which counts it as a success");
            return;
        }
        for (String pool : scheduledPools) {
            RootBeanDefinition scheduler = new RootBeanDefinition(ScheduledPoolTaskScheduler.class,
                    () -> new ScheduledPoolTaskScheduler(factory.getBean(pool, ScheduledPool.class)));
            scheduler.addQualifier(new AutowireCandidateQualifier(Qualifier.class, pool));
            scheduler.setDefaultCandidate(false);
            scheduler.setDependsOn(pool);
            scheduler.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
            scheduler.setDescription("Spool, the TaskScheduler of " + SpoolKind.EXECUTOR.key(pool));
            registry.registerBeanDefinition(taskSchedulerName(pool), scheduler);
        }
    }

    private static final String TASK_SCHEDULER_PREFIX = "dev.spool.autoconfigure.TaskScheduler.";

    /** @return the name of a scheduled pool's {@link ScheduledPoolTaskScheduler} bean */
    static String taskSchedulerName(String pool) {
        return TASK_SCHEDULER_PREFIX + pool;
    }

    /** @return whether {@code beanName} is a scheduled pool's {@link ScheduledPoolTaskScheduler} */
    static boolean isPoolsTaskScheduler(String beanName) {
        return beanName.startsWith(TASK_SCHEDULER_PREFIX);
    }

    private static RootBeanDefinition definition(SpoolBeanFactories.Recipe recipe, String key) {
        @SuppressWarnings("unchecked")
        RootBeanDefinition definition = new RootBeanDefinition((Class<Object>) recipe.type(),
                (Supplier<Object>) recipe.instance());
        definition.setDescription("Spool, from " + key);
        if (recipe.dependsOn() != null) {
            definition.setDependsOn(recipe.dependsOn());
        }
        if (recipe.destroyMethod() != null) {
            definition.setDestroyMethodName(recipe.destroyMethod());
        }
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
