package dev.spool.autoconfigure.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;

import dev.spool.autoconfigure.SpoolProperties;
import dev.spool.futures.ManagedExecutor;
import dev.spool.futures.RejectionPolicy;
import dev.spool.futures.ThreadPool;
import dev.spool.threading.AbstractLock;
import dev.spool.threading.Lock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The evaluator against real pools and locks, driven by the instants it is handed: one event per silence period
 * while a condition lasts, none below the threshold, and each alert fired by the condition it names.
 */
@Timeout(30)
class AlertEvaluatorTests {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration CHECK = Duration.ofSeconds(10);

    private final SpoolProperties.Alerts alerts = new SpoolProperties.Alerts();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<SpoolAlertEvent> events = new CopyOnWriteArrayList<>();
    private final List<ManagedExecutor> executors = new ArrayList<>();
    private final List<AbstractLock> locks = new ArrayList<>();
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void release() throws Exception {
        for (AutoCloseable closeable : cleanup.reversed()) {
            closeable.close();
        }
        executors.forEach(ManagedExecutor::shutdownNow);
    }

    private ThreadPool pool(ThreadPool.Builder builder) {
        ThreadPool pool = builder.build();
        executors.add(pool);
        return pool;
    }

    private Occupied occupy(ThreadPool pool, int workers, int queued) {
        Occupied occupied = Occupied.occupy(pool, workers, queued);
        cleanup.add(occupied);
        return occupied;
    }

    private AlertEvaluator.Sources sources() {
        return new AlertEvaluator.Sources() {
            @Override
            public Collection<ManagedExecutor> executors() {
                return executors;
            }

            @Override
            public Collection<AbstractLock> locks() {
                return locks;
            }
        };
    }

    private AlertEvaluator evaluator() {
        return new AlertEvaluator(sources(), AlertRules.of(alerts), alerts.getSilence(),
                event -> events.add((SpoolAlertEvent) event), new MicrometerAlertMeters(() -> registry));
    }

    /** Checks every {@link #CHECK} from {@code from} (included) to {@code to} (excluded). */
    private static void checkEveryIntervalBetween(AlertEvaluator evaluator, Instant from, Instant to) {
        for (Instant now = from; now.isBefore(to); now = now.plus(CHECK)) {
            evaluator.evaluate(now);
        }
    }

    private List<Instant> instantsOf(SpoolAlert alert, String name) {
        return events.stream().filter(e -> e.alert() == alert && e.name().equals(name))
                .map(SpoolAlertEvent::instant).toList();
    }

    private double count(SpoolAlert alert, String name) {
        Counter counter = registry.find("spool.alerts").tags("alert", alert.tag(), "name", name).counter();
        assertThat(counter).as("spool.alerts{alert=%s,name=%s}", alert.tag(), name).isNotNull();
        return counter.count();
    }

    @Test
    void aQueueKeptFullFiresOncePerSilencePeriod() {
        ThreadPool io = pool(ThreadPool.builder().name("io").maxWorkers(1).queueCapacity(10));
        occupy(io, 1, 8); // 8 of 10: exactly the default threshold, which fires (as the Prometheus rule's >=)
        AlertEvaluator evaluator = evaluator();

        checkEveryIntervalBetween(evaluator, T0, T0.plus(Duration.ofMinutes(15))); // three silence periods of 5m

        assertThat(instantsOf(SpoolAlert.QUEUE_USAGE, "io"))
                .containsExactly(T0, T0.plus(Duration.ofMinutes(5)), T0.plus(Duration.ofMinutes(10)));
        assertThat(instantsOf(SpoolAlert.WORKER_USAGE, "io")) // its one worker is busy all along too
                .containsExactly(T0, T0.plus(Duration.ofMinutes(5)), T0.plus(Duration.ofMinutes(10)));
        assertThat(count(SpoolAlert.QUEUE_USAGE, "io")).isEqualTo(3.0);
        SpoolAlertEvent first = events.getFirst();
        assertThat(first.alert()).isEqualTo(SpoolAlert.QUEUE_USAGE);
        assertThat(first.getSource()).isSameAs(io);
        assertThat(first.value()).isEqualTo(0.8);
        assertThat(first.threshold()).isEqualTo(0.8);
        assertThat(first.getTimestamp()).isEqualTo(T0.toEpochMilli());
        assertThat(first.message()).isEqualTo("executor io: queue 80 % full (8 of 10), threshold 80 %");
        assertThat(events).filteredOn(e -> e.alert() == SpoolAlert.WORKER_USAGE).first()
                .extracting(SpoolAlertEvent::message)
                .isEqualTo("executor io: 1 of 1 workers busy (100 %), 8 queued, threshold 90 %");
        assertThat(events).extracting(SpoolAlertEvent::alert)
                .containsOnly(SpoolAlert.QUEUE_USAGE, SpoolAlert.WORKER_USAGE);
    }

    @Test
    void belowEveryThresholdNothingFires() {
        ThreadPool wide = pool(ThreadPool.builder().name("wide").maxWorkers(10).queueCapacity(10));
        occupy(wide, 8, 0); // 80 % of the workers, under 90 %
        ThreadPool busy = pool(ThreadPool.builder().name("busy").maxWorkers(2).queueCapacity(10));
        occupy(busy, 2, 0); // every worker busy, but no task waits for one: not exhausted (as the Prometheus rule)
        ThreadPool narrow = pool(ThreadPool.builder().name("narrow").maxWorkers(1).queueCapacity(10));
        occupy(narrow, 1, 7); // 70 % of the queue, under 80 %; its one worker is busy, so that alert is off for it
        SpoolProperties.UsageOverride off = new SpoolProperties.UsageOverride();
        off.setEnabled(false);
        alerts.getWorkerUsage().getNames().put("narrow", off);
        Lock ledger = new Lock("ledger");
        locks.add(ledger);
        ledger.acquire(); // held, but nobody waits
        cleanup.add(ledger::release);
        AlertEvaluator evaluator = evaluator();

        checkEveryIntervalBetween(evaluator, T0, T0.plus(Duration.ofMinutes(15)));

        assertThat(events).isEmpty();
        for (SpoolAlert alert : List.of(SpoolAlert.QUEUE_USAGE, SpoolAlert.WORKER_USAGE, SpoolAlert.REJECTIONS,
                SpoolAlert.RUN_TIMEOUT, SpoolAlert.QUEUE_TIMEOUT)) {
            assertThat(count(alert, "wide")).as(alert + " wide").isZero(); // registered at 0, never counted
        }
        assertThat(count(SpoolAlert.LOCK_WAIT, "ledger")).isZero();
        assertThat(registry.find("spool.alerts").tags("alert", "worker_usage", "name", "narrow").counter())
                .as("an alert off for a name is not counted for it").isNull();
    }

    @Test
    void aConditionThatClearsAndReturnsWithinTheSilenceStaysSilenced() {
        alerts.getWorkerUsage().setEnabled(false);
        ThreadPool io = pool(ThreadPool.builder().name("io").maxWorkers(1).queueCapacity(10));
        Occupied first = occupy(io, 1, 9);
        AlertEvaluator evaluator = evaluator();
        evaluator.evaluate(T0);

        first.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> io.stats().queued() == 0 && io.stats().active() == 0);
        evaluator.evaluate(T0.plus(Duration.ofMinutes(1))); // cleared
        occupy(io, 1, 9);
        evaluator.evaluate(T0.plus(Duration.ofMinutes(2))); // back, within the silence
        evaluator.evaluate(T0.plus(Duration.ofMinutes(4)));
        evaluator.evaluate(T0.plus(Duration.ofMinutes(5))); // the silence is over

        assertThat(instantsOf(SpoolAlert.QUEUE_USAGE, "io")).containsExactly(T0, T0.plus(Duration.ofMinutes(5)));
    }

    @Test
    void rejectionsFireForTheIntervalInWhichTheyHappened() {
        alerts.setSilence(Duration.ZERO); // every check may fire: only new rejections do
        alerts.getQueueUsage().setEnabled(false);
        alerts.getWorkerUsage().setEnabled(false);
        ThreadPool io = pool(ThreadPool.builder().name("io").maxWorkers(1).queueCapacity(1)
                .rejectionPolicy(RejectionPolicy.ABORT));
        occupy(io, 1, 1);
        assertThatThrownBy(() -> io.submit(() -> "refused")).isInstanceOf(RejectedExecutionException.class);
        AlertEvaluator evaluator = evaluator();

        evaluator.evaluate(T0);
        evaluator.evaluate(T0.plus(CHECK)); // nothing new
        assertThatThrownBy(() -> io.submit(() -> "refused")).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> io.submit(() -> "refused")).isInstanceOf(RejectedExecutionException.class);
        evaluator.evaluate(T0.plus(CHECK.multipliedBy(2)));

        assertThat(events).extracting(SpoolAlertEvent::alert, SpoolAlertEvent::value, SpoolAlertEvent::message)
                .containsExactly(
                        tuple(SpoolAlert.REJECTIONS, 1.0,
                                "executor io: 1 task rejected since it was created, threshold 1"),
                        tuple(SpoolAlert.REJECTIONS, 2.0,
                                "executor io: 2 tasks rejected in the last 10.0 s, threshold 1"));
        assertThat(count(SpoolAlert.REJECTIONS, "io")).isEqualTo(2.0);
    }

    @Test
    void aTaskBlockedPastItsRunTimeoutFires() {
        ThreadPool slow = pool(ThreadPool.builder().name("slow").maxWorkers(2).runTimeout(Duration.ofMillis(50)));
        occupy(slow, 1, 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> slow.timeoutStats().hung() == 1);
        AlertEvaluator evaluator = evaluator();

        evaluator.evaluate(T0);
        evaluator.evaluate(T0.plus(Duration.ofMinutes(5))); // still hung, and a new silence period

        assertThat(events).extracting(SpoolAlertEvent::alert).containsExactly(SpoolAlert.RUN_TIMEOUT,
                SpoolAlert.RUN_TIMEOUT);
        assertThat(events.getFirst().message()).isEqualTo("executor slow: 1 task hung now, 1 crossed the run-timeout"
                + " of 50 ms since it was created, threshold 1");
        assertThat(events.get(1).message()).startsWith("executor slow: 1 task hung now, 0 crossed the run-timeout");
    }

    @Test
    void aTaskThatWaitedPastItsQueueTimeoutFires() {
        ThreadPool late = pool(ThreadPool.builder().name("late").maxWorkers(1).queueTimeout(Duration.ofMillis(20))
                .cancelOnQueueTimeout(true));
        occupy(late, 1, 0);
        late.submit(() -> "waits past its queue-timeout");
        await().atMost(Duration.ofSeconds(10)).until(() -> late.timeoutStats().queueTimeouts() == 1);
        alerts.getWorkerUsage().setEnabled(false);
        AlertEvaluator evaluator = evaluator();

        evaluator.evaluate(T0);

        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.alert()).isEqualTo(SpoolAlert.QUEUE_TIMEOUT);
            assertThat(event.value()).isEqualTo(1.0);
            assertThat(event.message()).isEqualTo("executor late: 1 task waited past the queue-timeout of 20 ms since"
                    + " it was created, threshold 1");
        });
    }

    @Test
    void aThreadBlockedOnAHeldLockFiresThenItsEndedWaitFiresAgain() throws Exception {
        alerts.getLockWait().setThreshold(Duration.ofMillis(5));
        Lock ledger = new Lock("ledger");
        locks.add(ledger);
        ledger.acquire();
        Thread waiter = Thread.ofPlatform().name("waiter").start(() -> {
            ledger.acquire();
            ledger.release();
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.stats().waiting() == 1
                && ledger.stats().heldForNanos() > Duration.ofMillis(10).toNanos());
        AlertEvaluator evaluator = evaluator();

        evaluator.evaluate(T0); // the waiter waits now: the hold it waits for has lasted past 5 ms
        ledger.release();
        waiter.join(Duration.ofSeconds(10));
        assertThat(waiter.isAlive()).isFalse();
        evaluator.evaluate(T0.plus(Duration.ofMinutes(5))); // its wait has ended: the mean of the interval

        assertThat(events).extracting(SpoolAlertEvent::alert).containsExactly(SpoolAlert.LOCK_WAIT,
                SpoolAlert.LOCK_WAIT);
        assertThat(events).allSatisfy(event -> {
            assertThat(event.value()).isGreaterThan(0.010);
            assertThat(event.threshold()).isEqualTo(0.005);
            assertThat(event.getSource()).isSameAs(ledger);
        });
        assertThat(events.getFirst().message()).startsWith("lock ledger: no wait ended since it was created; 1 thread"
                + " waiting now, its current hold has lasted ").endsWith(", threshold 5 ms");
        assertThat(events.get(1).message()).startsWith("lock ledger: 1 wait in the last 5.0 min averaged ")
                .endsWith(", threshold 5 ms");
        assertThat(count(SpoolAlert.LOCK_WAIT, "ledger")).isEqualTo(2.0);
    }

    @Test
    void anOverrideByNameChangesTheThresholdOrTurnsTheAlertOnForThatNameAlone() {
        alerts.getWorkerUsage().setEnabled(false);
        SpoolProperties.UsageOverride strict = new SpoolProperties.UsageOverride();
        strict.setThreshold(1.0);
        alerts.getQueueUsage().getNames().put("batch", strict); // 90 % is normal for it
        SpoolProperties.UsageOverride on = new SpoolProperties.UsageOverride();
        on.setEnabled(true);
        alerts.getWorkerUsage().getNames().put("batch", on);
        ThreadPool io = pool(ThreadPool.builder().name("io").maxWorkers(1).queueCapacity(10));
        ThreadPool batch = pool(ThreadPool.builder().name("batch").maxWorkers(1).queueCapacity(10));
        occupy(io, 1, 9);
        occupy(batch, 1, 9);
        AlertEvaluator evaluator = evaluator();

        evaluator.evaluate(T0);

        assertThat(events).extracting(SpoolAlertEvent::alert, SpoolAlertEvent::name).containsExactlyInAnyOrder(
                tuple(SpoolAlert.QUEUE_USAGE, "io"),
                tuple(SpoolAlert.WORKER_USAGE, "batch"));
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheOtherEventsOfTheCheck() {
        alerts.getWorkerUsage().setEnabled(false);
        ThreadPool a = pool(ThreadPool.builder().name("a").maxWorkers(1).queueCapacity(2));
        ThreadPool b = pool(ThreadPool.builder().name("b").maxWorkers(1).queueCapacity(2));
        occupy(a, 1, 2);
        occupy(b, 1, 2);
        List<String> heard = new ArrayList<>();
        AlertEvaluator evaluator = new AlertEvaluator(sources(), AlertRules.of(alerts), alerts.getSilence(), event -> {
            heard.add(((SpoolAlertEvent) event).name());
            throw new IllegalStateException("listener failed");
        }, AlertMeters.NONE);

        List<SpoolAlertEvent> published = evaluator.evaluate(T0);

        assertThat(heard).containsExactly("a", "b");
        assertThat(published).extracting(SpoolAlertEvent::name).containsExactly("a", "b");
    }
}
