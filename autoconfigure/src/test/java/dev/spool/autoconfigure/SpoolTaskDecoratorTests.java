package dev.spool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.spool.futures.ThreadPool;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

/** {@code TaskDecorator} beans, Boot's context propagation and Spool's MDC propagation on Spool pools. */
@Timeout(30)
class SpoolTaskDecoratorTests {

    private static final ThreadLocal<String> TENANT = new ThreadLocal<>();
    private static final String TENANT_KEY = "spool-test-tenant";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class, SpoolAutoConfiguration.class,
                    SpoolDefaultExecutorAutoConfiguration.class))
            .withPropertyValues("spool.executors.io.max-workers=1", "spool.executors.burst.type=virtual");

    @AfterEach
    void clear() {
        MDC.clear();
        TENANT.remove();
        ContextRegistry.getInstance().removeThreadLocalAccessor(TENANT_KEY);
    }

    @Test
    void taskDecoratorBeansApplyToSpoolPoolsInTheirOrder() {
        runner.withUserConfiguration(Decorators.class).run(context -> {
            Decorators decorators = context.getBean(Decorators.class);
            for (String name : List.of("io", "burst")) {
                decorators.trace.clear();
                ThreadPool pool = context.getBean(name, ThreadPool.class);
                pool.submit(() -> decorators.trace.add("task")).result(Duration.ofSeconds(10));
                // CompositeTaskDecorator, as Boot uses it: the last decorator wraps the others.
                assertThat(decorators.trace).containsExactly("second", "first", "task");
            }
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Decorators {
        final List<String> trace = new CopyOnWriteArrayList<>();

        @Bean
        @Order(1)
        TaskDecorator first() {
            return runnable -> () -> {
                trace.add("first");
                runnable.run();
            };
        }

        @Bean
        @Order(2)
        TaskDecorator second() {
            return runnable -> () -> {
                trace.add("second");
                runnable.run();
            };
        }
    }

    @Test
    void bootsContextPropagationAppliesToSpoolPoolsWhenPropagateContextIsOn() {
        ContextRegistry.getInstance().registerThreadLocalAccessor(new TenantAccessor());
        runner.withPropertyValues("spring.task.execution.propagate-context=true").run(context -> {
            assertThat(context).hasSingleBean(ContextPropagatingTaskDecorator.class);
            TENANT.set("acme");
            ThreadPool io = context.getBean("io", ThreadPool.class);
            assertThat(io.submit(TENANT::get).result(Duration.ofSeconds(10))).isEqualTo("acme");
            TENANT.remove();
            assertThat(io.submit(TENANT::get).result(Duration.ofSeconds(10))).isNull();
        });
        runner.withPropertyValues("spool.propagate-context=false").run(context -> {
            assertThat(context).doesNotHaveBean(ContextPropagatingTaskDecorator.class);
            TENANT.set("acme");
            assertThat(context.getBean("io", ThreadPool.class).submit(TENANT::get).result(Duration.ofSeconds(10)))
                    .isNull();
        });
    }

    static final class TenantAccessor implements ThreadLocalAccessor<String> {
        @Override
        public Object key() {
            return TENANT_KEY;
        }

        @Override
        public String getValue() {
            return TENANT.get();
        }

        @Override
        public void setValue(String value) {
            TENANT.set(value);
        }

        @Override
        public void setValue() {
            TENANT.remove();
        }
    }

    @Test
    void theMdcTravelsWithAsyncToASpoolPoolAndDoesNotStayOnItsThread() {
        runner.withUserConfiguration(AsyncApp.class).run(context -> {
            MdcJobs jobs = context.getBean(MdcJobs.class);
            MDC.put("request", "42");
            assertThat(jobs.onIo().get(10, TimeUnit.SECONDS)).containsEntry("request", "42");
            assertThat(jobs.onBurst().get(10, TimeUnit.SECONDS)).containsEntry("request", "42");
            MDC.clear();
            assertThat(jobs.onIo().get(10, TimeUnit.SECONDS)).isEmpty(); // the same worker thread: nothing left over
        });
    }

    @Test
    void theMdcIsNotPropagatedWhenTurnedOff() {
        runner.withUserConfiguration(AsyncApp.class).withPropertyValues("spool.propagate-mdc=false").run(context -> {
            MDC.put("request", "42");
            assertThat(context.getBean(MdcJobs.class).onIo().get(10, TimeUnit.SECONDS)).doesNotContainKey("request");
        });
    }

    @Test
    void spoolsMdcPropagationLeavesBootsExecutorAsItWas() {
        runner.withUserConfiguration(AsyncApp.class).run(context -> {
            MDC.put("request", "42");
            assertThat(context.getBean(MdcJobs.class).onDefault().get(10, TimeUnit.SECONDS))
                    .doesNotContainKey("request");
            assertThat(context).doesNotHaveBean(TaskDecorator.class);
        });
    }

    @Test
    void theMdcDecoratorRestoresTheRunningThreadsOwnMdc() {
        MDC.put("request", "submitter");
        Runnable decorated = new MdcTaskDecorator().decorate(() -> assertThat(MDC.get("request")).isEqualTo("submitter"));
        MDC.put("request", "runner");
        decorated.run();
        assertThat(MDC.get("request")).isEqualTo("runner");
        MDC.clear();
        Runnable withoutContext = new MdcTaskDecorator().decorate(() -> assertThat(MDC.getCopyOfContextMap())
                .isNullOrEmpty());
        MDC.put("request", "runner");
        withoutContext.run();
        assertThat(MDC.get("request")).isEqualTo("runner");
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    @Import(MdcJobs.class)
    static class AsyncApp {
    }

    static class MdcJobs {
        @Async("io")
        public CompletableFuture<Map<String, String>> onIo() {
            return CompletableFuture.completedFuture(mdc());
        }

        @Async("burst")
        public CompletableFuture<Map<String, String>> onBurst() {
            return CompletableFuture.completedFuture(mdc());
        }

        @Async
        public CompletableFuture<Map<String, String>> onDefault() {
            return CompletableFuture.completedFuture(mdc());
        }

        private static Map<String, String> mdc() {
            Map<String, String> mdc = MDC.getCopyOfContextMap();
            return mdc == null ? Map.of() : mdc;
        }
    }
}
