package dev.spool.futures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ScopedValues} on JDK 25, from the packaged multi-release jar (failsafe puts spool-core's jar, not its class
 * directory, on the class path, so {@code META-INF/versions/25} applies): a scoped value bound at submit is bound to
 * the same value in the pool's thread, for {@code submit} and {@code map}, on thread and virtual pools.
 */
@Timeout(30)
class ScopedValuesIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ScopedValue<String> USER = ScopedValue.newInstance();
    private static final ScopedValue<Integer> TENANT = ScopedValue.newInstance();

    private final List<ThreadPool> pools = new CopyOnWriteArrayList<>();

    @AfterEach
    void shutdown() {
        pools.forEach(ThreadPool::shutdownNow);
    }

    private ThreadPool pool(ThreadPool.Builder builder) {
        ThreadPool pool = builder.build();
        pools.add(pool);
        return pool;
    }

    private static String user() {
        return USER.isBound() ? USER.get() : "unbound";
    }

    @Test
    void theJdk25ClassesAreTheOnesLoaded() {
        assertThat(ScopedValues.isSupported()).isTrue();
        assertThat(ScopedValues.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                .as("spool-core comes from its jar").endsWith(".jar");
    }

    @Test
    void aBindingAtSubmitIsBoundInTheTaskOnThreadAndVirtualPools() throws Exception {
        for (ThreadPool pool : List.of(pool(ThreadPool.builder().name("io").maxWorkers(1).carryScopedValues(USER)),
                pool(ThreadPool.builder().name("burst").virtualThreads(true).carryScopedValues(USER)))) {
            String seen = ScopedValue.where(USER, "alice").call(() -> pool.submit(ScopedValuesIT::user).result(WAIT));
            assertThat(seen).as(pool.name()).isEqualTo("alice");
            List<String> mapped = ScopedValue.where(USER, "bob").call(() ->
                    pool.map(item -> item + ":" + user(), List.of(1, 2, 3)).toList());
            assertThat(mapped).as(pool.name()).containsExactly("1:bob", "2:bob", "3:bob");
            assertThat(pool.submit(ScopedValuesIT::user).result(WAIT))
                    .as(pool.name() + ": submitted outside any binding, and nothing left by the tasks before")
                    .isEqualTo("unbound");
        }
    }

    @Test
    void eachScopedValueIsCarriedOnlyWhenBoundAtSubmit() throws Exception {
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(1).carryScopedValues(USER, TENANT));
        Map<String, Object> seen = ScopedValue.where(TENANT, 7).call(() -> pool.submit(() -> Map.<String, Object>of(
                "user", user(), "tenant", TENANT.isBound() ? TENANT.get() : "unbound")).result(WAIT));
        assertThat(seen).containsEntry("user", "unbound").containsEntry("tenant", 7);
    }

    @Test
    void theCarrierWrapsTheTaskDecoratorSoItsWrapperSeesTheBindings() throws Exception {
        List<String> seenByDecorator = new CopyOnWriteArrayList<>();
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(1).carryScopedValues(USER)
                .taskDecorator(task -> () -> {
                    seenByDecorator.add(user());
                    task.run();
                }));
        ScopedValue.where(USER, "carol").call(() -> pool.submit(ScopedValuesIT::user).result(WAIT));
        assertThat(seenByDecorator).containsExactly("carol");
    }

    @Test
    void theCarrierIsATaskDecoratorOfItsOwn() throws Exception {
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(1).taskDecorator(ScopedValues.carrier(USER)));
        assertThat(ScopedValue.where(USER, "dave").call(() -> pool.submit(ScopedValuesIT::user).result(WAIT)))
                .isEqualTo("dave");
    }

    @Test
    void aTaskRunByItsCallerKeepsTheCallersBinding() throws Exception {
        ThreadPool pool = pool(ThreadPool.builder().maxWorkers(1).queueCapacity(0)
                .rejectionPolicy(RejectionPolicy.CALLER_RUNS).carryScopedValues(USER));
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        TaskFuture<?> busy = pool.submit(() -> {
            release.await();
            return null;
        });
        try {
            String seen = ScopedValue.where(USER, "erin").call(() -> pool.submit(ScopedValuesIT::user).result(WAIT));
            assertThat(seen).isEqualTo("erin");
            assertThat(USER.isBound()).as("the caller's own thread, after the binding it ran in").isFalse();
        } finally {
            release.countDown();
        }
        busy.result(WAIT);
    }

    @Test
    void whatIsNotAScopedValueIsRefusedAtTheCall() {
        assertThatIllegalArgumentException().isThrownBy(() -> ScopedValues.carrier(USER, "USER"))
                .withMessageContaining("scopedValues[1] is a java.lang.String, not a java.lang.ScopedValue");
        assertThatIllegalArgumentException().isThrownBy(ScopedValues::carrier)
                .withMessageContaining("at least one");
        assertThatNullPointerException().isThrownBy(() -> ThreadPool.builder().carryScopedValues(USER, null))
                .withMessageContaining("scopedValues[1]");
    }
}
