package dev.spool.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import dev.spool.futures.ProcessPool;
import dev.spool.futures.ThreadPool;
import dev.spool.sample.load.LoadGenerator;
import dev.spool.sample.load.LoadStatus;
import dev.spool.sample.shop.Catalog;
import dev.spool.threading.Barrier;
import dev.spool.threading.BoundedSemaphore;
import dev.spool.threading.Event;
import dev.spool.threading.RLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The load generator does what the dashboard and scripts/e2e rely on: the io queue fills, the inventory lock
 * contends, the db semaphore runs out of permits, crunch workers price lines, the audit barrier trips and the ready
 * event is cleared and set again. Polls the pools' own statistics, each poll bounded.
 */
@SpringBootTest(properties = {"sample.pricing-simulations=2000", "sample.load.customers=32"})
@Timeout(90)
class LoadGeneratorTests {

    private static final Duration BOUND = Duration.ofSeconds(30);

    @Autowired
    LoadGenerator load;
    @Autowired
    Catalog catalog;
    @Autowired
    @Qualifier("io")
    ThreadPool io;
    @Autowired
    @Qualifier("crunch")
    ProcessPool crunch;
    @Autowired
    @Qualifier("inventory")
    RLock inventory;
    @Autowired
    @Qualifier("db")
    BoundedSemaphore db;
    @Autowired
    @Qualifier("audit")
    Barrier audit;
    @Autowired
    @Qualifier("ready")
    Event ready;

    @AfterEach
    void stop() {
        load.stop();
        await().atMost(BOUND).until(() -> !load.status().running());
    }

    @Test
    void aRunMovesEveryQueueLockAndSemaphore() {
        await().atMost(BOUND).until(() -> catalog.version() >= 1);

        LoadStatus started = load.start(Duration.ofSeconds(60), 32);
        assertThat(started.running()).isTrue();
        assertThat(started.customers()).isEqualTo(32);

        await().atMost(BOUND).until(() -> io.stats().queued() > 0);
        await().atMost(BOUND).until(() -> inventory.stats().contended() > 0);
        // A wait for a permit happens only when none is free: the semaphore was at 0.
        await().atMost(BOUND).until(() -> db.stats().contended() > 0);
        await().atMost(BOUND).until(() -> crunch.stats().completed() > 10);
        await().atMost(BOUND).until(() -> audit.stats().trips() > 0);
        await().atMost(BOUND).until(() -> load.status().catalogRefreshes() > 0);
        await().atMost(BOUND).until(() -> load.status().placed() > 50);

        load.stop();
        await().atMost(BOUND).until(() -> !load.status().running());
        assertThat(load.status().failed()).as("no order failed for an unexpected reason").isZero();
        assertThat(ready.isSet()).as("every price list load sets ready again").isTrue();
    }

    @Test
    void aSecondStartWhileARunGoesOnReturnsThatRun() {
        LoadStatus first = load.start(Duration.ofSeconds(60), 4);
        LoadStatus second = load.start(Duration.ofSeconds(5), 8);
        assertThat(second.startedAt()).isEqualTo(first.startedAt());
        assertThat(second.customers()).isEqualTo(4);
    }

    @Test
    void aTimedRunEndsByItself() {
        load.start(Duration.ofMillis(500), 2);
        await().atMost(BOUND).until(() -> !load.status().running());
        assertThat(load.status().endsAt()).isNotNull();
    }
}
