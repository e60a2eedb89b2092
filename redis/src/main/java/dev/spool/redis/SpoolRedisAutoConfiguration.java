package dev.spool.redis;

import org.redisson.api.RedissonClient;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Makes the {@code redis} backend, bean {@value #BACKEND_BEAN}, from the application's {@link RedissonClient}: the
 * one Redisson's own starter builds from {@code spring.data.redis.*} (or {@code spring.redis.redisson.config}).
 * Spool has no connection keys of its own. The instance id is
 * {@link RedisBackend#defaultInstanceId(String) spring.application.name@host:pid}.
 */
@AutoConfiguration(afterName = {"org.redisson.spring.starter.RedissonAutoConfigurationV4",
        "org.redisson.spring.starter.RedissonAutoConfigurationV2"})
@ConditionalOnClass(RedissonClient.class)
public class SpoolRedisAutoConfiguration {
    /** The backend's bean name, which the Spool starter looks up. */
    public static final String BACKEND_BEAN = "spoolRedisBackend";

    /** Creates the auto-configuration; Spring does. */
    public SpoolRedisAutoConfiguration() {
    }

    /**
     * @param redisson    the application's client
     * @param environment for {@code spring.application.name}
     * @return the backend; closed with the context (the client is Redisson's starter's to close)
     */
    @Bean(name = BACKEND_BEAN, destroyMethod = "close")
    @ConditionalOnBean(RedissonClient.class)
    @ConditionalOnMissingBean(name = BACKEND_BEAN)
    public RedisBackend spoolRedisBackend(RedissonClient redisson, Environment environment) {
        return new RedisBackend(redisson,
                RedisBackend.defaultInstanceId(environment.getProperty("spring.application.name")));
    }
}
