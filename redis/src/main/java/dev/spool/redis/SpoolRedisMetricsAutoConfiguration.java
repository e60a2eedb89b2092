package dev.spool.redis;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds {@link RedisBackendMetrics} for the {@value SpoolRedisAutoConfiguration#BACKEND_BEAN} bean when Micrometer
 * is on the class path: Boot binds every {@link MeterBinder} bean to its registries.
 */
@AutoConfiguration(after = SpoolRedisAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(name = SpoolRedisAutoConfiguration.BACKEND_BEAN)
public class SpoolRedisMetricsAutoConfiguration {

    /** Creates the auto-configuration; Spring does. */
    public SpoolRedisMetricsAutoConfiguration() {
    }

    /**
     * @param backend the backend bean
     * @return its meters' binder
     */
    @Bean
    public RedisBackendMetrics spoolRedisBackendMetrics(
            @Qualifier(SpoolRedisAutoConfiguration.BACKEND_BEAN) RedisBackend backend) {
        return new RedisBackendMetrics(backend);
    }
}
