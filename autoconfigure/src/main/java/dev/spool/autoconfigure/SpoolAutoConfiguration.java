package dev.spool.autoconfigure;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.AsyncConfigurer;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of Spool: one bean per name of {@code spool.*} (executors,
 * locks, semaphores, events, barriers, conditions: the kinds of {@link SpoolKind}), their shutdown, and {@code @Async}
 * support. {@code spool.*} is bound once, by {@code SpoolBeanRegistrar}, into the {@link SpoolProperties} bean that
 * every Spool auto-configuration reads.
 *
 * <p>Ordered after Boot's {@link TaskExecutionAutoConfiguration} on purpose: Boot creates its
 * {@code applicationTaskExecutor} only when the context has no {@code Executor} bean, and decides that before Spool's
 * pools are registered, so an application that adds Spool keeps Boot's executor and its
 * {@code spring.task.execution.*} keys exactly as before ({@link SpoolDefaultExecutorAutoConfiguration} replaces it
 * only when {@code spool.default-executor} asks for it). After {@link TaskSchedulingAutoConfiguration} for the same
 * reason: Boot creates its {@code taskScheduler} only when there is no {@code ScheduledExecutorService} bean, which a
 * {@code type: scheduled} pool is, so {@code @Scheduled} methods without a {@code scheduler} keep Boot's. Loaded
 * after the application's own configuration, it backs off for every name the application already uses for a bean.
 *
 * <p>{@code @Async}: {@code @Async("io")} runs on pool {@code io} (Spring looks the qualifier up as an
 * {@code Executor} bean name); every {@link AsyncConfigurer} is wrapped (as Boot wraps them) so that exceptions of
 * {@code void} methods are counted in {@link AsyncFailures} before the application's handler, or Spring's default,
 * sees them; and {@code @Async} aimed at a process pool stops start-up with an explanation.
 */
@AutoConfiguration(after = {TaskExecutionAutoConfiguration.class, TaskSchedulingAutoConfiguration.class})
@Import(SpoolBeanRegistrar.class)
public final class SpoolAutoConfiguration {

    SpoolAutoConfiguration() {
    }

    /** @return the counter of {@code @Async void} failures */
    @Bean
    @ConditionalOnMissingBean
    AsyncFailures spoolAsyncFailures() {
        return new AsyncFailures();
    }

    /**
     * The {@code AsyncConfigurer} when the context has none (Boot registers one only while it provides
     * {@code applicationTaskExecutor}): it counts {@code void} failures, and makes {@code spool.default-executor} the
     * executor of {@code @Async} without a qualifier.
     */
    @Bean
    @ConditionalOnMissingBean(AsyncConfigurer.class)
    SpoolAsyncConfigurer spoolAsyncConfigurer(BeanFactory beanFactory, ObjectProvider<AsyncFailures> failures,
                                              SpoolProperties properties) {
        return new SpoolAsyncConfigurer(beanFactory, null, failures::getObject, properties.getDefaultExecutor());
    }

    /**
     * Wraps every other {@code AsyncConfigurer} bean, the application's or Boot's, in a {@link SpoolAsyncConfigurer}
     * (see {@link SpoolAsyncConfigurer#wrap}: the bean keeps its type where it can).
     */
    @Bean
    static BeanPostProcessor spoolAsyncConfigurerPostProcessor(ObjectProvider<BeanFactory> beanFactory,
                                                               ObjectProvider<AsyncFailures> failures,
                                                               ObjectProvider<SpoolProperties> properties) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
                if (bean instanceof AsyncConfigurer configurer && !(bean instanceof SpoolAsyncConfigurer)
                        && !(bean instanceof SpoolAsyncConfigurer.Wrapped)) {
                    return SpoolAsyncConfigurer.wrap(configurer, new SpoolAsyncConfigurer(beanFactory.getObject(),
                            configurer, failures::getObject,
                            properties.getObject().getDefaultExecutor()));
                }
                return bean;
            }
        };
    }

    /** Stops start-up when {@code @Async} names a process pool or no executor; warns of {@code @Async} without {@code @EnableAsync}. */
    @Bean
    static AsyncAnnotationCheck spoolAsyncAnnotationCheck() {
        return new AsyncAnnotationCheck();
    }

    /** Names each {@code @Async} method's task after the method in the running-task views; see {@link AsyncTaskNames}. */
    @Bean
    static AsyncTaskNames.PostProcessor spoolAsyncTaskNames() {
        return new AsyncTaskNames.PostProcessor();
    }

    /** Stops start-up when {@code @Scheduled} names no scheduler; warns of {@code @Scheduled} without {@code @EnableScheduling}. */
    @Bean
    static ScheduledAnnotationCheck spoolScheduledAnnotationCheck() {
        return new ScheduledAnnotationCheck();
    }
}
