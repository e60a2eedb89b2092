package dev.spool.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.redisson.spring.starter.RedissonAutoConfigurationV4;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.spool.threading.spi.SharedBackend;

/** The backend bean made from the RedissonClient of Redisson's own starter, on spring.data.redis.* only. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpoolRedisAutoConfigurationTest {
    private static EmbeddedRedis redis;

    @BeforeAll
    static void startRedis() {
        redis = new EmbeddedRedis();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void theBackendBeanUsesTheApplicationsRedissonClient() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RedissonAutoConfigurationV4.class,
                        SpoolRedisAutoConfiguration.class, SpoolRedisMetricsAutoConfiguration.class))
                .withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port(),
                        "spring.application.name=orders")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasBean(SpoolRedisAutoConfiguration.BACKEND_BEAN)
                            .hasSingleBean(RedisBackendMetrics.class);
                    SharedBackend backend = context.getBean(SpoolRedisAutoConfiguration.BACKEND_BEAN,
                            SharedBackend.class);
                    assertThat(backend.name()).isEqualTo("redis");
                    assertThat(backend.instanceId()).startsWith("orders@")
                            .endsWith(":" + ProcessHandle.current().pid());
                    backend.check();
                    assertThat(((RedisBackend) backend).address()).contains("127.0.0.1:" + redis.port());
                });
    }

    @Test
    void noRedissonClientMeansNoBackend() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SpoolRedisAutoConfiguration.class,
                        SpoolRedisMetricsAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(SpoolRedisAutoConfiguration.BACKEND_BEAN)
                        .doesNotHaveBean(RedisBackendMetrics.class));
    }

    @Test
    void theImportsFileRegistersBoth() throws Exception {
        String imports = new String(getClass().getResourceAsStream(
                "/META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(imports.lines()).contains(SpoolRedisAutoConfiguration.class.getName(),
                SpoolRedisMetricsAutoConfiguration.class.getName());
    }
}
