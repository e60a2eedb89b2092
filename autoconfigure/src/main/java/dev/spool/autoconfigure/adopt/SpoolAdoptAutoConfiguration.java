package dev.spool.autoconfigure.adopt;

import java.util.EnumSet;
import java.util.Set;

import dev.spool.autoconfigure.SpoolProperties;
import dev.spool.futures.AdoptedExecutor;
import io.micrometer.core.instrument.config.MeterFilter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.task.SimpleAsyncTaskExecutorCustomizer;
import org.springframework.boot.task.SimpleAsyncTaskSchedulerCustomizer;
import org.springframework.boot.task.ThreadPoolTaskExecutorCustomizer;
import org.springframework.boot.task.ThreadPoolTaskSchedulerCustomizer;
import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.task.TaskDecorator;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of {@code spool.adopt.*} (docs/adopting-boot-pools.md): Spring
 * Boot's own pools, observed by Spool without being replaced.
 *
 * <ul>
 *   <li>{@code spool.adopt.application-task-executor}: Boot's {@code applicationTaskExecutor};</li>
 *   <li>{@code spool.adopt.task-scheduler}: Boot's {@code taskScheduler};</li>
 *   <li>{@code spool.adopt.tomcat}: the embedded Tomcat's request pool ({@link TomcatAdoption}).</li>
 * </ul>
 * Each pool keeps its threads, limits and rejection; its tasks are wrapped on their way in by a decorator that Spool's
 * builder customizers add to Boot's own (see {@link AdoptionPostProcessor}), and it shows as an
 * {@link dev.spool.futures.AdoptedExecutor} under its name. With Micrometer, Boot's own {@code executor.*} series of
 * an adopted pool (tagged {@code name} only) are dropped by a {@link MeterFilter}, so that each pool is one series per
 * meter: Spool's, tagged {@code name} and {@code type} like every Spool pool.
 */
@AutoConfiguration(before = {TaskExecutionAutoConfiguration.class, TaskSchedulingAutoConfiguration.class})
@ConditionalOnClass(ThreadPoolTaskExecutorCustomizer.class)
public final class SpoolAdoptAutoConfiguration {

    SpoolAdoptAutoConfiguration() {
    }

    /**
     * Static, as every {@code BeanPostProcessor} factory method should be: it reads {@code spool.adopt.*} straight
     * from the environment and creates nothing else.
     *
     * @param environment {@code spool.adopt.*} and {@code spring.threads.virtual.enabled}
     * @return the post-processor that arms the adopted pools' decorators
     */
    @Bean
    static AdoptionPostProcessor spoolAdoptionPostProcessor(Environment environment) {
        return new AdoptionPostProcessor(adopted(environment),
                environment.getProperty("spring.threads.virtual.enabled", Boolean.class, false));
    }

    /** @return the pools {@code spool.adopt.*} switches on */
    static Set<AdoptedPool> adopted(Environment environment) {
        SpoolProperties.Adopt adopt = Binder.get(environment)
                .bindOrCreate("spool.adopt", SpoolProperties.Adopt.class);
        Set<AdoptedPool> on = EnumSet.noneOf(AdoptedPool.class);
        for (AdoptedPool pool : AdoptedPool.values()) {
            if (pool.isOn(adopt)) {
                on.add(pool);
            }
        }
        return on;
    }

    /** {@code spool.adopt.application-task-executor}: Boot's two executor builders, whichever makes the bean. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty("spool.adopt.application-task-executor")
    static class ApplicationTaskExecutorAdoption {

        /** First, so that a decorator an application customizer sets afterwards is the one the pool keeps. */
        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        ThreadPoolTaskExecutorCustomizer spoolAdoptingThreadPoolTaskExecutorCustomizer(
                AdoptionPostProcessor adoption, ObjectProvider<TaskDecorator> decorators) {
            return executor -> adoption.decorate(executor, executor::setTaskDecorator, decorators, false);
        }

        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        SimpleAsyncTaskExecutorCustomizer spoolAdoptingSimpleAsyncTaskExecutorCustomizer(
                AdoptionPostProcessor adoption, ObjectProvider<TaskDecorator> decorators) {
            return executor -> adoption.decorate(executor, executor::setTaskDecorator, decorators, false);
        }
    }

    /** {@code spool.adopt.task-scheduler}: Boot's two scheduler builders. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty("spool.adopt.task-scheduler")
    static class TaskSchedulerAdoption {

        /** Named, since Boot's builder ignores its order: the post-processor moves it first by that name. */
        @Bean(AdoptionPostProcessor.SPOOL_SCHEDULER_CUSTOMIZER)
        @Order(Ordered.HIGHEST_PRECEDENCE)
        ThreadPoolTaskSchedulerCustomizer spoolAdoptingThreadPoolTaskSchedulerCustomizer(
                AdoptionPostProcessor adoption, ObjectProvider<TaskDecorator> decorators) {
            return scheduler -> adoption.decorate(scheduler, scheduler::setTaskDecorator, decorators, true);
        }

        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        SimpleAsyncTaskSchedulerCustomizer spoolAdoptingSimpleAsyncTaskSchedulerCustomizer(
                AdoptionPostProcessor adoption, ObjectProvider<TaskDecorator> decorators) {
            return scheduler -> adoption.decorate(scheduler, scheduler::setTaskDecorator, decorators, true);
        }
    }

    /** {@code spool.adopt.tomcat}: the check that a Tomcat was adopted, which needs no Tomcat class. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty("spool.adopt.tomcat")
    static class TomcatAdoptionCheckConfiguration {

        @Bean
        TomcatAdoptionCheck spoolTomcatAdoptionCheck() {
            return new TomcatAdoptionCheck();
        }
    }

    /** {@code spool.adopt.tomcat} with Tomcat on the class path: the observed protocol and its pool's observer. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty("spool.adopt.tomcat")
    @ConditionalOnClass(name = {"org.apache.coyote.http11.Http11NioProtocol",
            "org.springframework.boot.tomcat.TomcatWebServerFactory"})
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET) // a run without one has no pool
    static class TomcatAdoptionConfiguration {

        @Bean
        TomcatAdoption spoolTomcatAdoption(Environment environment, TomcatAdoptionCheck check) {
            return new TomcatAdoption(environment.getProperty("spring.threads.virtual.enabled", Boolean.class, false),
                    check);
        }

        /** @return the request pool's observer, under the name meters, the endpoint and health give it */
        @Bean
        AdoptedExecutor spoolAdoptedTomcat(TomcatAdoption adoption) {
            return adoption.observer();
        }

        @Bean
        WebServerFactoryCustomizer<TomcatWebServerFactory> spoolAdoptingTomcatCustomizer(TomcatAdoption adoption) {
            return adoption::customize;
        }
    }

    /** With Micrometer: Boot's own {@code executor.*} series of the adopted pools give way to Spool's. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.config.MeterFilter")
    static class AdoptedMeters {

        /**
         * @param environment {@code spool.adopt.*}
         * @return a filter that denies {@code executor.*} meters named after an adopted pool and without Spool's
         * {@code type} tag: Boot's {@code ExecutorServiceMetrics} of the same pool, which would count it twice
         */
        @Bean
        static MeterFilter spoolAdoptedPoolsMeterFilter(Environment environment) {
            Set<String> names = new java.util.HashSet<>();
            adopted(environment).forEach(pool -> names.add(pool.poolName()));
            return MeterFilter.deny(id -> (id.getName().equals("executor") || id.getName().startsWith("executor."))
                    && id.getTag("type") == null && names.contains(id.getTag("name")));
        }
    }
}
