package dev.spool.autoconfigure.adopt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Consumer;

import dev.spool.autoconfigure.InvalidSpoolConfigurationException;
import dev.spool.autoconfigure.InvalidSpoolConfigurationException.Problem;
import dev.spool.futures.AdoptedExecutor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.task.ThreadPoolTaskSchedulerBuilder;
import org.springframework.boot.task.ThreadPoolTaskSchedulerCustomizer;
import org.springframework.core.task.TaskDecorator;

/**
 * Adopts Boot's {@code applicationTaskExecutor} and {@code taskScheduler} as {@code spool.adopt.*} asks.
 *
 * <ul>
 *   <li>Every executor and scheduler Boot's builders make gets an {@link AdoptingDecorator} through Spool's builder
 *       customizers ({@link #decorate}): Boot's own decorator, recording nothing yet.</li>
 *   <li>When the bean of an adopted name is initialized, its decorator is armed with a new {@link AdoptedExecutor},
 *       registered as a singleton ({@code spoolAdoptedApplicationTaskExecutor}, {@code spoolAdoptedTaskScheduler})
 *       where meters, the endpoint, health and alerts find it; once its JDK pool exists, the pool's own rejection
 *       handler is wrapped to count refusals (the handler still decides what happens).</li>
 *   <li>At the end of start-up an adopted name whose bean is missing, or was not made by Boot's builders (so its
 *       tasks cannot be seen), stops start-up, naming the key and what to do: adopting nothing quietly would leave an
 *       operator reading empty meters.</li>
 * </ul>
 */
final class AdoptionPostProcessor implements BeanPostProcessor, SmartInitializingSingleton, BeanFactoryAware {

    private static final Log logger = LogFactory.getLog(AdoptionPostProcessor.class);
    private static final List<AdoptedPool> BEAN_POOLS = List.of(AdoptedPool.APPLICATION_TASK_EXECUTOR,
            AdoptedPool.TASK_SCHEDULER);
    /** The bean names of Boot's {@link ThreadPoolTaskSchedulerBuilder} and of Spool's customizer of it. */
    private static final String BOOT_SCHEDULER_BUILDER = "threadPoolTaskSchedulerBuilder";
    static final String SPOOL_SCHEDULER_CUSTOMIZER = "spoolAdoptingThreadPoolTaskSchedulerCustomizer";

    private final Set<AdoptedPool> on;
    private final boolean virtual;
    /** What Spool's customizers gave each pool Boot built, by identity (no Boot pool overrides equals). */
    private final Map<Object, AdoptingDecorator> decorators = Collections.synchronizedMap(new WeakHashMap<>());
    private final Map<AdoptedPool, AdoptedExecutor> adopted = Collections.synchronizedMap(
            new EnumMap<>(AdoptedPool.class));
    private @Nullable ConfigurableListableBeanFactory beanFactory;

    /**
     * @param on      the pools to adopt
     * @param virtual {@code spring.threads.virtual.enabled}: Boot's pools run virtual threads
     */
    AdoptionPostProcessor(Set<AdoptedPool> on, boolean virtual) {
        this.on = on.isEmpty() ? EnumSet.noneOf(AdoptedPool.class) : EnumSet.copyOf(on);
        this.virtual = virtual;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
    }

    /**
     * Gives a pool Boot's builder made Spool's decorator in place of Boot's (which it includes).
     *
     * @param pool       the pool being built
     * @param setter     its {@code setTaskDecorator}
     * @param decorators the context's decorators, which Boot's builder took its own from
     * @param repeating  whether the pool runs a decorated task many times (a scheduler)
     */
    void decorate(Object pool, Consumer<TaskDecorator> setter, ObjectProvider<TaskDecorator> decorators,
                  boolean repeating) {
        AdoptingDecorator decorator = new AdoptingDecorator(AdoptingDecorator.bootDecorator(decorators), repeating);
        setter.accept(decorator);
        this.decorators.put(pool, decorator);
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof ThreadPoolTaskSchedulerBuilder builder && BOOT_SCHEDULER_BUILDER.equals(beanName)
                && this.on.contains(AdoptedPool.TASK_SCHEDULER)) {
            return spoolsCustomizerFirst(builder);
        }
        AdoptedPool pool = poolOf(beanName);
        if (pool == null || this.adopted.containsKey(pool)) {
            return bean;
        }
        AdoptingDecorator decorator = this.decorators.get(bean);
        AdoptedExecutor observer = decorator != null ? BootPools.of(pool.poolName(), this.virtual, bean) : null;
        if (decorator == null || observer == null) {
            throw new InvalidSpoolConfigurationException(List.of(new Problem(pool.key(),
                    "is true, but bean '" + beanName + "' (" + bean.getClass().getName() + ") was not built by Spring"
                            + " Boot's " + builders(pool) + ", so Spool cannot see its tasks",
                    "build it with the builder Boot provides (inject " + builders(pool) + "), or remove the key")));
        }
        decorator.arm(observer);
        this.adopted.put(pool, observer);
        if (this.beanFactory != null) {
            // through the post-processors first, as a bean would be: Spool's meter binding sees it (binding it now, or
            // with the other beans once they all exist), also when the pool is lazy and created after start-up
            this.beanFactory.initializeBean(observer, pool.observerBeanName());
            this.beanFactory.registerSingleton(pool.observerBeanName(), observer);
        }
        logger.info("Spool adopted Boot's " + beanName + " (" + bean.getClass().getSimpleName() + ", "
                + observer.type().tag() + "): executor '" + pool.poolName() + "' in meters and /actuator/executors");
        return bean;
    }

    /**
     * Boot's scheduler builder, unlike its executor builders, takes its customizers in the order their beans were
     * registered, not in {@code @Order}: the application's come before Spool's, and Spool's decorator would then
     * replace one that an application customizer set. This gives the builder the same customizers with Spool's moved
     * first and the others in Boot's order, so that an application's decorator wins, as on the executor (Spool then
     * sees none of the scheduler's runs, and warns of them: {@link AdoptedExecutor#warnOnUnseenTasks}).
     */
    private ThreadPoolTaskSchedulerBuilder spoolsCustomizerFirst(ThreadPoolTaskSchedulerBuilder builder) {
        if (this.beanFactory == null || !this.beanFactory.containsBean(SPOOL_SCHEDULER_CUSTOMIZER)) {
            return builder;
        }
        ThreadPoolTaskSchedulerCustomizer spool = this.beanFactory.getBean(SPOOL_SCHEDULER_CUSTOMIZER,
                ThreadPoolTaskSchedulerCustomizer.class);
        List<ThreadPoolTaskSchedulerCustomizer> customizers = new ArrayList<>();
        customizers.add(spool);
        this.beanFactory.getBeanProvider(ThreadPoolTaskSchedulerCustomizer.class).stream()
                .filter(customizer -> customizer != spool).forEach(customizers::add);
        return builder.customizers(customizers);
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        AdoptedPool pool = poolOf(beanName);
        AdoptedExecutor observer = pool != null ? this.adopted.get(pool) : null;
        ThreadPoolExecutor jdk = observer != null ? BootPools.jdk(bean) : null;
        if (jdk != null) {
            jdk.setRejectedExecutionHandler(observer.countingRejections(jdk.getRejectedExecutionHandler()));
            // An executor's task is seen when it is submitted, so the pool's count of tasks taken is compared. A
            // scheduler's run is seen when it starts (a periodic task is decorated once and runs many times), so its
            // pool's count of runs completed is, which a seen run can only add to after it was seen.
            boolean executor = pool == AdoptedPool.APPLICATION_TASK_EXECUTOR;
            observer.warnOnUnseenTasks(executor ? jdk::getTaskCount : jdk::getCompletedTaskCount,
                    jdk::getLargestPoolSize, pool.key() + " is true: give the decorator to Boot as a TaskDecorator"
                            + " bean, which Boot's builder and Spool both apply, instead of calling setTaskDecorator on"
                            + " the " + (executor ? "executor, and submit through the executor bean."
                            : "scheduler, and schedule through the scheduler bean."));
        }
        return bean;
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (AdoptedPool pool : BEAN_POOLS) {
            if (!this.on.contains(pool) || this.adopted.containsKey(pool)) {
                continue;
            }
            String name = pool.poolName();
            if (this.beanFactory != null && this.beanFactory.containsBeanDefinition(name)
                    && this.beanFactory.getBeanDefinition(name).isLazyInit()) {
                logger.info(pool.key() + ": bean '" + name + "' is lazy; Spool adopts it when it is first used");
                continue;
            }
            throw new InvalidSpoolConfigurationException(List.of(missing(pool)));
        }
    }

    private static Problem missing(AdoptedPool pool) {
        if (pool == AdoptedPool.TASK_SCHEDULER) {
            return new Problem(pool.key(), "is true, but the context has no bean 'taskScheduler' made by Spring Boot",
                    "Boot makes it only with @EnableScheduling and no TaskScheduler bean of the application's: add"
                            + " @EnableScheduling, or remove the key");
        }
        return new Problem(pool.key(), "is true, but the context has no bean 'applicationTaskExecutor' made by"
                        + " Spring Boot",
                "Boot makes it unless the application defines an Executor bean of its own: remove that bean or"
                        + " the key");
    }

    private static String builders(AdoptedPool pool) {
        return pool == AdoptedPool.TASK_SCHEDULER ? "ThreadPoolTaskSchedulerBuilder or SimpleAsyncTaskSchedulerBuilder"
                : "ThreadPoolTaskExecutorBuilder or SimpleAsyncTaskExecutorBuilder";
    }

    private @Nullable AdoptedPool poolOf(String beanName) {
        for (AdoptedPool pool : BEAN_POOLS) {
            if (this.on.contains(pool) && pool.poolName().equals(beanName)) {
                return pool;
            }
        }
        return null;
    }

    /** @return the observer of an adopted pool, null while it is not adopted; for the Tomcat part and tests */
    @Nullable AdoptedExecutor adopted(AdoptedPool pool) {
        return this.adopted.get(pool);
    }
}
