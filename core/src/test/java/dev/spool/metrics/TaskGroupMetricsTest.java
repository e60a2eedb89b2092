package dev.spool.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.spool.futures.TaskGroup;
import dev.spool.futures.TaskGroupException;
import dev.spool.futures.TaskGroups;
import dev.spool.futures.ThreadPool;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * {@link TaskGroupMetrics}: one set of meters per group name, present before the first group for
 * {@value TaskGroups#UNNAMED}, added for a new name when its first group opens, moving as groups and tasks end.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TaskGroupMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** Never ticks on its own during a test: {@code flush()} replays. */
    private final TimerFeed replay = new TimerFeed(Duration.ofHours(1));
    private final TaskGroups groups = new TaskGroups();
    private final ThreadPool pool = ThreadPool.builder().name("tgm").maxWorkers(3).build();
    private final TaskGroupMetrics metrics = new TaskGroupMetrics(groups, Tags.empty(), TimerOptions.DEFAULTS, replay);

    @AfterEach
    void close() {
        metrics.close();
        pool.close();
        replay.close();
    }

    private TaskGroup group(String name) {
        return TaskGroup.builder(pool).name(name).statistics(groups).open();
    }

    @Test
    void theUnnamedMetersExistBeforeAnyGroupAndANewNameGetsItsOwnWhenItsFirstGroupOpens() {
        metrics.bindTo(registry);
        Meters unnamed = new Meters(registry, "name", TaskGroups.UNNAMED);
        assertThat(unnamed.gauge("spool.taskgroup.active")).isZero();
        assertThat(unnamed.counter("spool.taskgroup.tasks", "outcome", "success")).isZero();
        assertThat(registry.find("spool.taskgroup.active").tag("name", "checkout").gauge()).isNull();

        TaskGroup checkout = group("checkout");
        Meters m = new Meters(registry, "name", "checkout");
        assertThat(m.gauge("spool.taskgroup.active")).isEqualTo(1);
        checkout.submit(() -> 1);
        checkout.join();
        replay.flush();

        assertThat(m.gauge("spool.taskgroup.active")).isZero();
        assertThat(m.counter("spool.taskgroup.tasks", "outcome", "success")).isEqualTo(1);
        assertThat(m.timerCount("spool.taskgroup.duration", "outcome", "success")).isEqualTo(1);
        assertThat(registry.find("spool.taskgroup.duration").tag("name", "checkout").timers())
                .extracting(t -> t.getId().getTag("outcome"))
                .containsExactlyInAnyOrder("success", "failure", "timeout", "cancelled");
        assertThat(registry.find("spool.taskgroup.tasks").tag("name", "checkout").functionCounters())
                .extracting(c -> c.getId().getTag("outcome"))
                .containsExactlyInAnyOrder("success", "failure", "cancelled", "rejected");
    }

    @Test
    void aFailedGroupMovesItsFailureTimerAndEachTaskOutcome() throws Exception {
        metrics.bindTo(registry);
        TaskGroup group = group("pay");
        CountDownLatch bothDone = new CountDownLatch(2);
        group.submit(() -> bothDone.countDown());
        group.submit(() -> bothDone.countDown());
        CountDownLatch never = new CountDownLatch(1);
        group.submit(() -> {
            never.await(); // cancelled by the failure
            return null;
        });
        group.submit(() -> {
            bothDone.await();
            throw new IllegalStateException("declined");
        });
        assertThatThrownBy(group::join).isInstanceOf(TaskGroupException.class);
        replay.flush();

        Meters m = new Meters(registry, "name", "pay");
        assertThat(m.counter("spool.taskgroup.tasks", "outcome", "success")).isEqualTo(2);
        assertThat(m.counter("spool.taskgroup.tasks", "outcome", "failure")).isEqualTo(1);
        assertThat(m.counter("spool.taskgroup.tasks", "outcome", "cancelled")).isEqualTo(1);
        assertThat(m.timerCount("spool.taskgroup.duration", "outcome", "failure")).isEqualTo(1);
        assertThat(m.timerCount("spool.taskgroup.duration", "outcome", "success")).isZero();
    }

    @Test
    void manyGroupsOfOneNameShareOneSetOfMeters() {
        metrics.bindTo(registry);
        group("batch").join();
        int meters = registry.getMeters().size();
        for (int i = 0; i < 200; i++) {
            TaskGroup group = group("batch");
            group.submit(() -> 1);
            group.join();
        }
        replay.flush();

        assertThat(registry.getMeters()).hasSize(meters);
        Meters m = new Meters(registry, "name", "batch");
        assertThat(m.timerCount("spool.taskgroup.duration", "outcome", "success")).isEqualTo(201);
        assertThat(m.counter("spool.taskgroup.tasks", "outcome", "success")).isEqualTo(200);
    }

    @Test
    void afterCloseNewNamesAreNotBoundButTheBoundMetersStay() {
        metrics.bindTo(registry);
        group("before").join();
        metrics.close();
        group("after").join();

        assertThat(registry.find("spool.taskgroup.active").tag("name", "before").gauge()).isNotNull();
        assertThat(registry.find("spool.taskgroup.active").tag("name", "after").gauge()).isNull();
        assertThatThrownBy(() -> metrics.bindTo(new SimpleMeterRegistry())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void unbindRemovesEveryNamesMeters() {
        metrics.bindTo(registry);
        group("gone").join();
        metrics.unbindFrom(registry);
        group("later").join();

        assertThat(registry.find("spool.taskgroup.active").gauges()).isEmpty();
    }
}
