package dev.spool.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class DurationHistogramTest {

    @Test
    void everyValueFallsInsideTheBoundsOfItsBucket() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 100_000; i++) {
            long value = random.nextLong(Long.MAX_VALUE) >>> random.nextInt(63);
            int index = DurationHistogram.indexOf(value);
            assertThat(value).isBetween(DurationHistogram.lowerBound(index), DurationHistogram.upperBound(index));
        }
        assertThat(DurationHistogram.indexOf(Long.MAX_VALUE)).isEqualTo(DurationHistogram.BUCKETS - 1);
        assertThat(DurationHistogram.indexOf(0)).isZero();
    }

    @Test
    void bucketsTileTheWholeRangeWithoutGapsAndStayWithinASixteenthOfTheirLowerBound() {
        for (int i = 0; i < DurationHistogram.BUCKETS - 1; i++) {
            long lower = DurationHistogram.lowerBound(i);
            long upper = DurationHistogram.upperBound(i);
            assertThat(DurationHistogram.lowerBound(i + 1)).isEqualTo(upper + 1);
            if (lower >= 16) {
                assertThat((double) (upper - lower + 1) / lower).isLessThanOrEqualTo(1.0 / 16);
            }
        }
    }

    @Test
    void countTotalAndMaxAreExact() {
        DurationHistogram histogram = new DurationHistogram();
        long total = 0;
        for (long v = 1; v <= 10_000; v++) {
            histogram.record(v * 1_000);
            total += v * 1_000;
        }
        DurationHistogram.Snapshot snapshot = histogram.snapshot();
        assertThat(snapshot.count()).isEqualTo(10_000).isEqualTo(histogram.count());
        assertThat(snapshot.totalNanos()).isEqualTo(total).isEqualTo(histogram.totalNanos());
        assertThat(snapshot.maxNanos()).isEqualTo(10_000_000L).isEqualTo(histogram.maxNanos());
        assertThat(snapshot.meanNanos()).isCloseTo(total / 10_000.0, within(0.001));
    }

    @Test
    void percentilesAreWithinTheBucketResolution() {
        DurationHistogram histogram = new DurationHistogram();
        for (long v = 1; v <= 100_000; v++) {
            histogram.record(v * 100); // uniform from 100 ns to 10 ms
        }
        DurationHistogram.Snapshot snapshot = histogram.snapshot();
        for (double p : new double[] {0.5, 0.9, 0.95, 0.99, 0.999}) {
            double expected = p * 100_000 * 100;
            assertThat(snapshot.percentileNanos(p)).as("p%s", p).isCloseTo(expected, within(expected / 16));
        }
        assertThat(snapshot.percentileNanos(1.0)).isCloseTo(10_000_000, within(10_000_000 / 16.0));
    }

    @Test
    void anEmptyHistogramReportsZeros() {
        DurationHistogram.Snapshot snapshot = new DurationHistogram().snapshot();
        assertThat(snapshot.count()).isZero();
        assertThat(snapshot.percentileNanos(0.99)).isZero();
        assertThat(snapshot.meanNanos()).isZero();
    }

    @Test
    void negativeDurationsCountAsZero() {
        DurationHistogram histogram = new DurationHistogram();
        histogram.record(-5);
        assertThat(histogram.snapshot().count()).isEqualTo(1);
        assertThat(histogram.snapshot().totalNanos()).isZero();
    }

    @Test
    void percentileOutsideZeroToOneIsRejected() {
        DurationHistogram.Snapshot snapshot = new DurationHistogram().snapshot();
        assertThatIllegalArgumentException().isThrownBy(() -> snapshot.percentileNanos(1.5));
        assertThatIllegalArgumentException().isThrownBy(() -> snapshot.percentileNanos(Double.NaN));
    }

    @Test
    void minusGivesWhatWasRecordedInBetween() {
        DurationHistogram histogram = new DurationHistogram();
        histogram.record(1_000);
        histogram.record(2_000);
        DurationHistogram.Snapshot before = histogram.snapshot();
        histogram.record(2_000);
        histogram.record(500_000);
        DurationHistogram.Snapshot delta = histogram.snapshot().minus(before);
        assertThat(delta.count()).isEqualTo(2);
        assertThat(delta.totalNanos()).isEqualTo(502_000);
        List<long[]> buckets = new ArrayList<>();
        delta.forEachBucket((lower, upper, count, sum) -> buckets.add(new long[] {lower, upper, count, sum}));
        assertThat(buckets).hasSize(2);
        assertThat(buckets.get(0)[2]).isEqualTo(1);
        assertThat(buckets.get(0)[3]).isEqualTo(2_000);
        assertThat(buckets.get(1)[3]).isEqualTo(500_000);
    }

    @Test
    @Timeout(30)
    void concurrentRecordingLosesNothing() throws InterruptedException {
        DurationHistogram histogram = new DurationHistogram();
        int threads = 8;
        int perThread = 50_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            Thread worker = Thread.ofPlatform().start(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    histogram.record(random.nextLong(1, 1_000_000));
                }
            });
            workers.add(worker);
        }
        start.countDown();
        for (Thread worker : workers) {
            assertThat(worker.join(java.time.Duration.ofSeconds(20))).isTrue();
        }
        assertThat(histogram.snapshot().count()).isEqualTo((long) threads * perThread);
    }

    @Test
    void plusAddsTwoHistogramsBucketByBucket() {
        DurationHistogram a = new DurationHistogram();
        DurationHistogram b = new DurationHistogram();
        a.record(1_000);
        b.record(1_000);
        b.record(9_000_000);
        DurationHistogram.Snapshot sum = a.snapshot().plus(b.snapshot());
        assertThat(sum.count()).isEqualTo(3);
        assertThat(sum.totalNanos()).isEqualTo(9_002_000);
        assertThat(sum.maxNanos()).isEqualTo(9_000_000);
        assertThat(sum.percentileNanos(0.5)).isEqualTo(1_000.0);
    }
}
