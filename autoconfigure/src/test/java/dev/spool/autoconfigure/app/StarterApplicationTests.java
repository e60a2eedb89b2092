package dev.spool.autoconfigure.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.spool.autoconfigure.DefaultExecutorAdapter;
import dev.spool.autoconfigure.InvalidSpoolConfigurationException;
import dev.spool.autoconfigure.SpoolBeans;
import dev.spool.futures.RejectionPolicy;
import dev.spool.futures.ThreadPool;
import dev.spool.threading.Barrier;
import dev.spool.threading.BoundedSemaphore;
import dev.spool.threading.Condition;
import dev.spool.threading.Event;
import dev.spool.threading.RLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;

/** Boots {@link StarterApp} with {@code starter-app.yml}: the starter alone wires pools, primitives and @Async. */
@SpringBootTest(classes = StarterApp.class, properties = "spring.config.name=starter-app")
@ExtendWith(OutputCaptureExtension.class)
@Timeout(30)
class StarterApplicationTests {

    @Autowired
    StarterApp.Reports reports;

    @Autowired
    @Qualifier("io")
    ThreadPool io;

    @Autowired
    java.util.concurrent.locks.Lock inventory;

    @Autowired
    ApplicationContext context;

    @Test
    void asyncNamingAPoolRunsOnThatPoolsThreads() throws Exception {
        assertThat(reports.render().get(10, TimeUnit.SECONDS)).startsWith("io-");
        assertThat(reports.burst().get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void asyncWithoutQualifierRunsOnTheDefaultExecutor() throws Exception {
        assertThat(reports.renderOnDefault().get(10, TimeUnit.SECONDS)).startsWith("io-");
        assertThat(context.getBean("applicationTaskExecutor", DefaultExecutorAdapter.class).executor()).isSameAs(io);
    }

    @Test
    void aBadConfigurationStopsStartUpWithTheFailureAnalysisPrinted(CapturedOutput output) {
        SpringApplication app = new SpringApplicationBuilder(StarterApp.class)
                .properties("spring.main.banner-mode=off").build();
        assertThatThrownBy(() -> app.run("--spring.config.name=starter-app", "--spool.executors.io.max-workers=0",
                "--spool.conditions.stock.lock=inventroy").close())
                .isInstanceOf(InvalidSpoolConfigurationException.class);
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Spool's configuration is invalid:")
                .contains("spool.executors.io.max-workers: must be at least 1, was 0")
                .contains("spool.conditions.stock.lock: define spool.locks.inventroy, name one of [inventory]");
    }

    @Test
    void theYamlShapesEachBean() throws Exception {
        assertThat(io.stats().maxWorkers()).isEqualTo(4);
        assertThat(io.stats().queueCapacity()).isEqualTo(100);
        assertThat(context.getBean(dev.spool.autoconfigure.SpoolProperties.class).getExecutors().get("io")
                .getRejectionPolicy()).isEqualTo(RejectionPolicy.CALLER_RUNS);
        assertThat(io.submit(() -> "ran").result(Duration.ofSeconds(10))).isEqualTo("ran");
        assertThat(inventory).isInstanceOf(RLock.class).isSameAs(context.getBean("inventory"));
        assertThat(context.getBean("db", BoundedSemaphore.class).value()).isEqualTo(10);
        assertThat(context.getBean("ready", Event.class).isSet()).isFalse();
        assertThat(context.getBean("batch", Barrier.class).parties()).isEqualTo(2);
        assertThat(context.getBean("stock", Condition.class).stats().lockName()).isEqualTo("inventory");
        assertThat(context.getBean("ticks", Condition.class).name()).isEqualTo("ticks");
        assertThat(context.getBean(SpoolBeans.class).executors()).containsOnlyKeys("io", "burst");
    }
}
