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
    void aDifferenceHasTheBucketsOfWhatWasRecordedInBetweenAndNothingElse() {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 200; round++) {
            DurationHistogram histogram = new DurationHistogram();
            DurationHistogram onlyLater = new DurationHistogram();
            int before = random.nextInt(0, 50);
            for (int i = 0; i < before; i++) {
                histogram.record(random.nextLong(1, 1L << random.nextInt(1, 40)));
            }
            DurationHistogram.Snapshot earlier = histogram.snapshot();
            int after = random.nextInt(0, 50);
            for (int i = 0; i < after; i++) {
                long value = random.nextLong(1, 1L << random.nextInt(1, 40));
                histogram.record(value);
                onlyLater.record(value);
            }
            DurationHistogram.Snapshot delta = histogram.snapshot().minus(earlier);
            DurationHistogram.Snapshot expected = onlyLater.snapshot();
            assertThat(buckets(delta)).as("round %d", round).isEqualTo(buckets(expected));
            assertThat(delta.count()).isEqualTo(after);
            assertThat(delta.totalNanos()).isEqualTo(expected.totalNanos());
            assertThat(delta.percentileNanos(0.9)).isEqualTo(expected.percentileNanos(0.9));
        }
    }

    @Test
    void theMaxOfADifferenceIsNeverBelowTheTrueOneAndAtMostABucketAbove() {
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 500; round++) {
            DurationHistogram histogram = new DurationHistogram();
            for (int i = 0; i < random.nextInt(1, 30); i++) {
                histogram.record(random.nextLong(1, 1L << random.nextInt(1, 40)));
            }
            DurationHistogram.Snapshot earlier = histogram.snapshot();
            long trueMax = 0;
            for (int i = 0; i < random.nextInt(1, 30); i++) {
                long value = random.nextLong(16, 1L << random.nextInt(5, 40));
                histogram.record(value);
                trueMax = Math.max(trueMax, value);
            }
            long max = histogram.snapshot().minus(earlier).maxNanos();
            assertThat(max).as("round %d", round).isBetween(trueMax, trueMax + trueMax / 16);
        }
    }

    @Test
    void theMaxOfADifferenceIsExactWhenItHoldsTheLongestEverOrOneValueInItsHighestBucket() {
        DurationHistogram histogram = new DurationHistogram();
        histogram.record(10_000_000);
        DurationHistogram.Snapshot first = histogram.snapshot();
        histogram.record(1_000);
        histogram.record(1_500);
        DurationHistogram.Snapshot second = histogram.snapshot();
        assertThat(second.minus(first).maxNanos()).as("1 500 alone in its bucket: the sum is it")
                .isEqualTo(1_500);
        assertThat(second.maxNanos()).as("the cumulative max is not the window's").isEqualTo(10_000_000);

        histogram.record(1_480); // the same bucket as 1 500 ([1 472, 1 535]): two values, only a bound
        DurationHistogram.Snapshot third = histogram.snapshot();
        assertThat(third.minus(first).maxNanos()).as("at most the sum less the bucket's lower bound")
                .isEqualTo(1_480 + 1_500 - 1_472);

        histogram.record(20_000_000);
        histogram.record(19_000_000);
        assertThat(histogram.snapshot().minus(third).maxNanos()).as("the longest ever, recorded in the window")
                .isEqualTo(20_000_000);
    }

    @Test
    void aDifferenceOfNothingIsEmpty() {
        DurationHistogram histogram = new DurationHistogram();
        histogram.record(5_000);
        DurationHistogram.Snapshot snapshot = histogram.snapshot();
        DurationHistogram.Snapshot none = histogram.snapshot().minus(snapshot);
        assertThat(none.count()).isZero();
        assertThat(none.maxNanos()).isZero();
        assertThat(none.percentileNanos(0.99)).isZero();
        assertThat(snapshot.minus(DurationHistogram.Snapshot.EMPTY).maxNanos()).isEqualTo(5_000);
        assertThat(DurationHistogram.Snapshot.EMPTY.plus(snapshot).count()).isEqualTo(1);
    }

    @Test
    void plusOfSnapshotsWithDifferentBucketsEqualsOneHistogramOfBoth() {
        SplittableRandom random = new SplittableRandom(3);
        for (int round = 0; round < 100; round++) {
            DurationHistogram a = new DurationHistogram();
            DurationHistogram b = new DurationHistogram();
            DurationHistogram both = new DurationHistogram();
            for (int i = 0; i < random.nextInt(0, 40); i++) {
                long value = random.nextLong(0, 1L << random.nextInt(1, 50));
                (random.nextBoolean() ? a : b).record(value);
                both.record(value);
            }
            DurationHistogram.Snapshot sum = a.snapshot().plus(b.snapshot());
            assertThat(buckets(sum)).as("round %d", round).isEqualTo(buckets(both.snapshot()));
            assertThat(sum.maxNanos()).isEqualTo(both.maxNanos());
        }
    }

    private static List<List<Long>> buckets(DurationHistogram.Snapshot snapshot) {
        List<List<Long>> buckets = new ArrayList<>();
        snapshot.forEachBucket((lower, upper, count, sum) -> buckets.add(List.of(lower, upper, count, sum)));
        return buckets;
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

    @Test
    @Timeout(30)
    void virtualThreadsRecordingAtOnceLoseNothingInAnyBucket() throws InterruptedException {
        // every task of a virtual-thread pool records from a new thread: each bucket must still come out exact
        DurationHistogram concurrent = new DurationHistogram();
        DurationHistogram reference = new DurationHistogram();
        int threads = 2_000;
        int perThread = 50;
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            started.add(Thread.ofVirtual().start(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                for (int i = 0; i < perThread; i++) {
                    concurrent.record(random.nextLong(1, 10_000_000));
                }
            }));
        }
        for (int t = 0; t < threads; t++) {
            SplittableRandom random = new SplittableRandom(t);
            for (int i = 0; i < perThread; i++) {
                reference.record(random.nextLong(1, 10_000_000));
            }
        }
        for (Thread thread : started) {
            assertThat(thread.join(java.time.Duration.ofSeconds(20))).isTrue();
        }
        DurationHistogram.Snapshot got = concurrent.snapshot();
        DurationHistogram.Snapshot expected = reference.snapshot();
        assertThat(got.count()).isEqualTo((long) threads * perThread).isEqualTo(expected.count());
        assertThat(got.totalNanos()).isEqualTo(expected.totalNanos());
        assertThat(got.maxNanos()).isEqualTo(expected.maxNanos());
        assertThat(got.minus(expected).count()).isZero();
        assertThat(expected.minus(got).count()).isZero();
        for (double p = 0.0; p <= 1.0; p += 0.05) {
            assertThat(got.percentileNanos(p)).isEqualTo(expected.percentileNanos(p));
        }
    }

    @Test
    void aRecordersValuesAreReadWhileItIsOpenAndKeptWhenItCloses() {
        DurationHistogram histogram = new DurationHistogram();
        histogram.record(5_000);
        DurationHistogram.Recorder recorder = histogram.newRecorder();
        recorder.record(1_000);
        recorder.record(2_000_000);
        assertThat(recorder.owner()).isSameAs(Thread.currentThread());
        assertThat(histogram.count()).isEqualTo(3);
        assertThat(histogram.totalNanos()).isEqualTo(2_006_000);
        assertThat(histogram.maxNanos()).isEqualTo(2_000_000);
        DurationHistogram.Snapshot open = histogram.snapshot();

        recorder.close();
        recorder.close(); // a second close folds nothing in twice
        DurationHistogram.Snapshot closed = histogram.snapshot();
        assertThat(closed.count()).isEqualTo(3);
        assertThat(closed.totalNanos()).isEqualTo(2_006_000);
        assertThat(closed.minus(open).count()).isZero();
        assertThat(open.minus(closed).count()).isZero();

        histogram.record(1_000);
        assertThat(histogram.snapshot().minus(closed).totalNanos()).isEqualTo(1_000);
    }
}
