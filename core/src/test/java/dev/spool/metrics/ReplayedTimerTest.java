package dev.spool.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.spool.stats.DurationHistogram;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The replay of one histogram into one timer, from hand-made buckets: growth replayed exactly and within its bucket,
 * a record caught half-way left for the next replay, and a leftover settled without losing the count or the sum.
 */
class ReplayedTimerTest {
    private static final long T0 = 1_000_000_000L;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Timer timer = Timer.builder("t").register(registry);
    private final Buckets source = new Buckets();
    private final ReplayedTimer<Buckets> replayed = new ReplayedTimer<>(source, s -> s::forEach, timer);

    /** A histogram's buckets as a test sets them: lower, upper, count, sum. */
    static final class Buckets {
        final List<long[]> buckets = new ArrayList<>();

        Buckets set(long lower, long upper, long count, long sum) {
            buckets.removeIf(b -> b[0] == lower);
            buckets.add(new long[] {lower, upper, count, sum});
            buckets.sort((a, b) -> Long.compare(a[0], b[0]));
            return this;
        }

        void forEach(DurationHistogram.BucketVisitor visitor) {
            for (long[] b : buckets) {
                visitor.visit(b[0], b[1], b[2], b[3]);
            }
        }
    }

    private double total() {
        return timer.totalTime(TimeUnit.NANOSECONDS);
    }

    @Test
    void growthIsReplayedWithItsExactCountAndSumAndEveryValueInsideItsBucket() {
        source.set(96, 101, 3, 298);
        replayed.replay(T0);
        assertThat(timer.count()).isEqualTo(3);
        assertThat(total()).isEqualTo(298);
        assertThat(timer.max(TimeUnit.NANOSECONDS)).isBetween(96.0, 101.0);

        source.set(96, 101, 5, 298 + 202).set(1024, 1087, 1, 1050);
        replayed.replay(T0 + 1);
        assertThat(timer.count()).as("only the growth").isEqualTo(5 + 1);
        assertThat(total()).isEqualTo(298 + 202 + 1050);
        assertThat(timer.max(TimeUnit.NANOSECONDS)).isEqualTo(1050);

        source.set(16, 16, 2, 32);
        replayed.replay(T0 + 2);
        assertThat(timer.count()).as("a new bucket below the others").isEqualTo(8);
        assertThat(total()).isEqualTo(298 + 202 + 1050 + 32);
        assertThat(replayed.recordedCount()).isEqualTo(8);
        assertThat(replayed.recordedNanos()).isEqualTo(298 + 202 + 1050 + 32);
    }

    @Test
    void aRecordCaughtHalfWayWaitsForTheNextReplay() {
        source.set(96, 101, 2, 100); // the second value's count is in, its sum not yet
        replayed.replay(T0);
        assertThat(timer.count()).isZero();

        source.set(96, 101, 2, 199);
        replayed.replay(T0 + 1);
        assertThat(timer.count()).isEqualTo(2);
        assertThat(total()).isEqualTo(199);

        source.set(96, 101, 2, 299); // a third value's sum is in, its count not yet
        replayed.replay(T0 + 2);
        assertThat(timer.count()).isEqualTo(2);
        source.set(96, 101, 3, 299);
        replayed.replay(T0 + 3);
        assertThat(timer.count()).isEqualTo(3);
        assertThat(total()).isEqualTo(299);
    }

    @Test
    void aLeftoverThatStaysImplausibleIsSettledKeepingTheCount() {
        source.set(96, 101, 1, 0);
        replayed.replay(T0);
        replayed.replay(T0 + ReplayedTimer.SETTLE_NANOS / 2);
        assertThat(timer.count()).as("not settled yet").isZero();
        replayed.replay(T0 + ReplayedTimer.SETTLE_NANOS);
        assertThat(timer.count()).isEqualTo(1);
        assertThat(total()).as("clamped into the bucket").isEqualTo(96);

        assertThat(replayed.owedNanos()).as("the clamp's 96 ns are owed back").isEqualTo(-96);

        source.set(96, 101, 1, 97); // the sum that was missing: no count to carry it, so it is owed
        replayed.replay(T0 + 2 * ReplayedTimer.SETTLE_NANOS);
        replayed.replay(T0 + 3 * ReplayedTimer.SETTLE_NANOS);
        assertThat(timer.count()).isEqualTo(1);
        assertThat(total() + replayed.owedNanos()).as("timer + owed = the histogram").isEqualTo(97);

        source.set(96, 101, 2, 97 + 99);
        replayed.replay(T0 + 3 * ReplayedTimer.SETTLE_NANOS + 1);
        assertThat(timer.count()).as("the bucket's baseline is the histogram's again").isEqualTo(2);
        assertThat(total()).as("the next duration carries what was owed").isEqualTo(97 + 99);
        assertThat(replayed.owedNanos()).isZero();
    }

    @Test
    void whatIsOwedIsCarriedOnlyAsFarAsTheBucketAllows() {
        source.set(96, 101, 1, 0); // a count whose sum a torn snapshot missed, settled at the bucket's floor
        replayed.replay(T0);
        replayed.replay(T0 + ReplayedTimer.SETTLE_NANOS);
        source.set(96, 101, 1, 100); // the sum arrives without a count: 4 ns more than the floor replayed
        replayed.replay(T0 + 2 * ReplayedTimer.SETTLE_NANOS);
        replayed.replay(T0 + 3 * ReplayedTimer.SETTLE_NANOS);
        assertThat(replayed.owedNanos()).isEqualTo(4);

        source.set(96, 101, 2, 100 + 100); // one more at 100: 104 would leave the bucket, so 101 and 3 still owed
        replayed.replay(T0 + 3 * ReplayedTimer.SETTLE_NANOS + 1);
        assertThat(timer.max(TimeUnit.NANOSECONDS)).as("every value stays inside its bucket").isEqualTo(101);
        assertThat(replayed.owedNanos()).isEqualTo(3);
        assertThat(total() + replayed.owedNanos()).isEqualTo(200);
    }

    @Test
    void plausibleMeansThatCountValuesInsideTheBucketCanMakeTheSum() {
        assertThat(ReplayedTimer.plausible(1, 96, 96, 101)).isTrue();
        assertThat(ReplayedTimer.plausible(1, 101, 96, 101)).isTrue();
        assertThat(ReplayedTimer.plausible(1, 102, 96, 101)).isFalse();
        assertThat(ReplayedTimer.plausible(2, 191, 96, 101)).isFalse();
        assertThat(ReplayedTimer.plausible(2, 202, 96, 101)).isTrue();
        assertThat(ReplayedTimer.plausible(2, 203, 96, 101)).isFalse();
        assertThat(ReplayedTimer.plausible(0, 0, 96, 101)).isFalse();
        assertThat(ReplayedTimer.plausible(3, 3 * 5, 5, 5)).isTrue();
        assertThat(ReplayedTimer.plausible(3, Long.MAX_VALUE, 1L << 61, Long.MAX_VALUE)).isTrue();
    }

    @Test
    void theSourceIsHeldWeakly() {
        ReplayedTimer<Object> orphan = new ReplayedTimer<>(new Object(), s -> v -> { }, timer);
        for (int i = 0; i < 100 && !orphan.sourceGone(); i++) {
            System.gc();
        }
        assertThat(orphan.sourceGone()).isTrue();
        assertThat(orphan.replay(T0)).isFalse();
    }
}
