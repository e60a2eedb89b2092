package dev.spool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.spool.futures.ProcessPool;
import dev.spool.futures.SerializableCallable;
import dev.spool.futures.ScheduledPool;
import dev.spool.futures.ThreadPool;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * What follows a task, in an application that traces as Boot sets it up (Micrometer Tracing over Brave, with its
 * MDC correlation): the current trace and the MDC on thread and virtual pools through {@code submit}, {@code map}
 * and {@code @Async}, the MDC alone (the trace id in it included) on process pools; the context snapshot applied
 * once whether or not Boot's own decorator is there.
 */
@Timeout(60)
class SpoolContextPropagationTests {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ThreadLocal<String> TENANT = new ThreadLocal<>();
    private static final String TENANT_KEY = "spool-context-test-tenant";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class, SpoolAutoConfiguration.class,
                    SpoolDefaultExecutorAutoConfiguration.class, ObservationAutoConfiguration.class,
                    MicrometerTracingAutoConfiguration.class, BraveAutoConfiguration.class))
            .withUserConfiguration(AsyncApp.class)
            .withPropertyValues("management.tracing.sampling.probability=1.0", "spool.executors.io.max-workers=1",
                    "spool.executors.burst.type=virtual");

    @AfterEach
    void clear() {
        MDC.clear();
        TENANT.remove();
        ContextRegistry.getInstance().removeThreadLocalAccessor(TENANT_KEY);
    }

    /** What a task saw: the current span's trace id, and the MDC's request and trace id. */
    record Seen(@Nullable String traceId, @Nullable String request, @Nullable String mdcTraceId) {
        static final Seen NOTHING = new Seen(null, null, null);

        static Seen now(Tracer tracer) {
            Span span = tracer.currentSpan();
            return new Seen(span == null ? null : span.context().traceId(), MDC.get("request"), MDC.get("traceId"));
        }
    }

    /** Runs {@code check} inside an observation (so a span, its trace id in the MDC) with a request id in the MDC. */
    private static void traced(AssertableApplicationContext context, TracedCheck check) throws Exception {
        Tracer tracer = context.getBean(Tracer.class);
        Observation observation = Observation.start("checkout", context.getBean(ObservationRegistry.class));
        try (Observation.Scope scope = observation.openScope()) {
            Span span = tracer.currentSpan();
            assertThat(span).as("the observation's span").isNotNull();
            MDC.put("request", "42");
            String traceId = span.context().traceId();
            assertThat(MDC.get("traceId")).as("Boot's log correlation").isEqualTo(traceId);
            check.run(tracer, new Seen(traceId, "42", traceId));
        } finally {
            observation.stop();
            MDC.remove("request");
        }
    }

    @FunctionalInterface
    interface TracedCheck {
        void run(Tracer tracer, Seen expected) throws Exception;
    }

    @Test
    void theTraceAndTheMdcFollowSubmitAndMapOnThreadAndVirtualPools() {
        runner.run(context -> {
            for (String name : List.of("io", "burst")) {
                ThreadPool pool = context.getBean(name, ThreadPool.class);
                traced(context, (tracer, expected) -> {
                    assertThat(pool.submit(() -> Seen.now(tracer)).result(WAIT)).as(name + " submit")
                            .isEqualTo(expected);
                    assertThat(pool.map(item -> Seen.now(tracer), List.of(1, 2, 3)).toList()).as(name + " map")
                            .containsOnly(expected).hasSize(3);
                });
                assertThat(pool.submit(() -> Seen.now(context.getBean(Tracer.class))).result(WAIT))
                        .as(name + ": a task submitted outside the trace sees none, and no MDC the last one had")
                        .isEqualTo(Seen.NOTHING);
            }
        });
    }

    @Test
    void theTraceAndTheMdcFollowScheduleAndSubmitOnAScheduledPool() {
        runner.withPropertyValues("spool.executors.ticks.type=scheduled").run(context -> {
            ScheduledPool ticks = context.getBean("ticks", ScheduledPool.class);
            traced(context, (tracer, expected) -> {
                assertThat(ticks.schedule(() -> Seen.now(tracer), Duration.ofMillis(1)).get(30, TimeUnit.SECONDS))
                        .as("schedule").isEqualTo(expected);
                assertThat(ticks.submit(() -> Seen.now(tracer)).result(WAIT)).as("submit").isEqualTo(expected);
            });
            assertThat(ticks.schedule(() -> Seen.now(context.getBean(Tracer.class)), Duration.ZERO)
                    .get(30, TimeUnit.SECONDS)).as("scheduled outside the trace: none").isEqualTo(Seen.NOTHING);
        });
    }

    @Test
    void theTraceAndTheMdcFollowAsyncToSpoolPools() {
        runner.run(context -> {
            TracedJobs jobs = context.getBean(TracedJobs.class);
            traced(context, (tracer, expected) -> {
                assertThat(jobs.onIo().get(30, TimeUnit.SECONDS)).isEqualTo(expected);
                assertThat(jobs.onBurst().get(30, TimeUnit.SECONDS)).isEqualTo(expected);
            });
        });
    }

    @Test
    void withPropagateContextOffTheTraceStaysBehindAndTheMdcStillTravels() {
        runner.withPropertyValues("spool.propagate-context=false").run(context -> {
            ThreadPool io = context.getBean("io", ThreadPool.class);
            traced(context, (tracer, expected) -> assertThat(io.submit(() -> Seen.now(tracer)).result(WAIT))
                    .isEqualTo(new Seen(null, "42", expected.traceId())));
        });
    }

    static Map<String, String> workerMdc() {
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        return mdc == null ? new TreeMap<>() : new TreeMap<>(mdc);
    }

    @Test
    void aProcessPoolsWorkerGetsTheMdcWithTheTraceIdInIt() {
        runner.withPropertyValues("spool.executors.crunch.type=process", "spool.executors.crunch.max-workers=1")
                .run(context -> {
                    ProcessPool crunch = context.getBean("crunch", ProcessPool.class);
                    traced(context, (tracer, expected) -> assertThat(crunch.submit(
                            (SerializableCallable<Map<String, String>>) SpoolContextPropagationTests::workerMdc)
                            .result(WAIT)).containsEntry("request", "42")
                            .containsEntry("traceId", expected.traceId()));
                });
    }

    @Test
    void aProcessPoolSendsNoMdcWithPropagateMdcOff() {
        runner.withPropertyValues("spool.executors.crunch.type=process", "spool.executors.crunch.max-workers=1",
                "spool.propagate-mdc=false").run(context -> {
                    ProcessPool crunch = context.getBean("crunch", ProcessPool.class);
                    traced(context, (tracer, expected) -> assertThat(crunch.submit(
                            (SerializableCallable<Map<String, String>>) SpoolContextPropagationTests::workerMdc)
                            .result(WAIT)).doesNotContainKeys("request", "traceId"));
                });
    }

    // ------------------------------------------------------------------------------------------ applied once

    /** Counts how often a snapshot sets its value in a task's thread. */
    static final class CountingTenantAccessor implements ThreadLocalAccessor<String> {
        final AtomicInteger sets = new AtomicInteger();

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
            sets.incrementAndGet();
            TENANT.set(value);
        }

        @Override
        public void setValue() {
            TENANT.remove();
        }
    }

    @Test
    void theSnapshotIsAppliedOnceWithOrWithoutBootsDecorator() {
        CountingTenantAccessor accessor = new CountingTenantAccessor();
        ContextRegistry.getInstance().registerThreadLocalAccessor(accessor);
        for (String bootsKey : List.of("true", "false")) {
            runner.withPropertyValues("spring.task.execution.propagate-context=" + bootsKey).run(context -> {
                accessor.sets.set(0);
                TENANT.set("acme");
                assertThat(context.getBean("io", ThreadPool.class).submit(TENANT::get).result(WAIT))
                        .isEqualTo("acme");
                assertThat(accessor.sets).as("with spring.task.execution.propagate-context=" + bootsKey).hasValue(1);
            });
        }
        runner.withPropertyValues("spool.propagate-context=false").run(context -> {
            TENANT.set("acme");
            assertThat(context.getBean("io", ThreadPool.class).submit(TENANT::get).result(WAIT)).isNull();
        });
    }

    @Test
    void aValueATaskLeftOnItsThreadIsNotSeenByTheNext() {
        ContextRegistry.getInstance().registerThreadLocalAccessor(new CountingTenantAccessor());
        runner.run(context -> {
            ThreadPool io = context.getBean("io", ThreadPool.class); // one worker: both tasks on the same thread
            io.submit(() -> TENANT.set("left-behind")).result(WAIT);
            assertThat(io.submit(TENANT::get).result(WAIT)).isNull();
        });
    }

    // ------------------------------------------------------------------------------------------ @Async

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    @Import(TracedJobs.class)
    static class AsyncApp {
    }

    static class TracedJobs {
        private final Tracer tracer;

        TracedJobs(Tracer tracer) {
            this.tracer = tracer;
        }

        @Async("io")
        public CompletableFuture<Seen> onIo() {
            return CompletableFuture.completedFuture(Seen.now(tracer));
        }

        @Async("burst")
        public CompletableFuture<Seen> onBurst() {
            return CompletableFuture.completedFuture(Seen.now(tracer));
        }
    }
}
