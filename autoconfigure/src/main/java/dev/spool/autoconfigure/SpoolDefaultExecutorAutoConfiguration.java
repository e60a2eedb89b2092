package dev.spool.autoconfigure;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of {@code spool.default-executor}: the named Spool pool becomes
 * the application's task executor.
 *
 * <p>It registers {@code applicationTaskExecutor} as a {@link DefaultExecutorAdapter} over the pool (Spring MVC async
 * requests, Boot's bootstrap executor), before Boot's {@link TaskExecutionAutoConfiguration}, which then backs off as
 * it does for any application executor: Boot's {@code spring.task.execution.pool.*} keys no longer apply.
 * {@code @Async} without a qualifier runs on the pool through {@link SpoolAsyncConfigurer} (registered by
 * {@link SpoolAutoConfiguration}). An application bean named {@code applicationTaskExecutor} wins. The value is
 * checked with the rest of {@code spool.*}: it must name a thread or virtual executor.
 */
@AutoConfiguration(before = TaskExecutionAutoConfiguration.class)
@ConditionalOnProperty("spool.default-executor")
public final class SpoolDefaultExecutorAutoConfiguration {

    SpoolDefaultExecutorAutoConfiguration() {
    }

    /** @return Spring's view of the default pool, under Boot's name for the application executor */
    @Bean(name = TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME)
    @ConditionalOnMissingBean(name = TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME)
    DefaultExecutorAdapter applicationTaskExecutor(BeanFactory beanFactory, Environment environment) {
        return new DefaultExecutorAdapter(beanFactory, environment.getRequiredProperty("spool.default-executor"));
    }
}
