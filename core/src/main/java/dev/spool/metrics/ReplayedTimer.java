package dev.spool.metrics;

import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.spool.stats.DurationHistogram;
import io.micrometer.core.instrument.Timer;

/**
 * One Micrometer {@link Timer} fed from one of the engine's cumulative {@link DurationHistogram}s: each
 * {@link #replay} records into the timer what the histogram gained since the last one.
 *
 * <h2>State</h2>
 * For every bucket the histogram has filled, sorted by lower bound, a baseline: the count and sum already replayed.
 * A replay walks the source's current buckets (ascending, so a merge walk finds each baseline) and replays each
 * bucket's growth ({@code c} more durations summing to {@code s} more nanoseconds) as {@code c} records whose values
 * add up to {@code s} exactly and lie within the bucket: {@code s mod c} of them at {@code s / c + 1}, the rest at
 * {@code s / c}. So the timer's count and total equal the histogram's, and every value is within the bucket's width
 * (6.25 %) of the true one.
 *
 * <h2>A snapshot taken mid-record</h2>
 * The engine records a duration as two additions (the bucket's count, then its sum) and a snapshot reads them while
 * threads record, so a bucket may show a count without its sum or a sum without its count. Such a growth is usually
 * implausible (no {@code c} values inside the bucket can sum to {@code s}); it is then left for the next replay, by
 * which time the record has completed, and replayed whole. A growth that is implausible and has not changed for
 * {@link #SETTLE_NANOS} is left over from an earlier snapshot that caught a half-done record in a busy bucket (one that
 * looked plausible); it is replayed as well as the bucket allows (its count, its sum clamped to the bucket) and the
 * baseline is set to the histogram's. What the clamp kept out (or added) is owed: the bucket carries it into its next
 * replays, as far as their values can take it inside the bucket. So the count is exact, and the timer's total plus what
 * the buckets still owe ({@link #owedNanos()}) is exactly the histogram's total: nothing is lost, a torn record's sum
 * only arrives later (a sum-only leftover, with no count to carry it, waits for the bucket's next durations).
 *
 * <p>Not thread-safe: {@link TimerFeed} calls it under its lock.
 *
 * @param <T> what the histogram is read from (the histogram itself, or the pool that owns it), held weakly
 */
final class ReplayedTimer<T> implements DurationHistogram.BucketVisitor {
    /** How long an implausible growth must stay unchanged before it is taken as a leftover: far above a record. */
    static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long[] NONE = {};

    /** The buckets of a histogram at one moment: a {@link DurationHistogram.Snapshot}'s {@code forEachBucket}. */
    @FunctionalInterface
    interface Buckets {
        void forEachBucket(DurationHistogram.BucketVisitor visitor);
    }

    private final WeakReference<T> source;
    private final Function<? super T, ? extends Buckets> reader;
    private final Timer timer;

    // Baselines, one per bucket seen, sorted by lower bound; the first `size` entries are in use.
    private long[] lowers = NONE;
    private long[] counts = NONE;
    private long[] sums = NONE;
    /** Nanoseconds the histogram's bucket has and the timer has not yet had (negative: had too many), see above. */
    private long[] owed = NONE;
    /** The bucket's count and sum at the last look, and when they last changed: to tell a leftover from a race. */
    private long[] seenCounts = NONE;
    private long[] seenSums = NONE;
    private long[] changedAt = NONE;
    private int size;

    // Per replay: where the merge walk is, and the time.
    private int cursor;
    private long now;

    /** Bucket growths left for a later replay because they were caught half-recorded. */
    private long deferrals;

    // What went into the timer, in total.
    private long recordedCount;
    private long recordedNanos;

    /**
     * @param source what the histogram is read from; held weakly
     * @param reader reads a snapshot of the histogram from the source
     * @param timer  the timer to feed
     */
    ReplayedTimer(T source, Function<? super T, ? extends Buckets> reader, Timer timer) {
        this.source = new WeakReference<>(source);
        this.reader = reader;
        this.timer = timer;
    }

    /** Replays from a {@link DurationHistogram.Snapshot}-returning reader. */
    static <T> ReplayedTimer<T> ofSnapshots(T source, Function<? super T, DurationHistogram.Snapshot> snapshot,
                                            Timer timer) {
        return new ReplayedTimer<>(source, s -> snapshot.apply(s)::forEachBucket, timer);
    }

    /** @return the fed timer */
    Timer timer() {
        return timer;
    }

    /** @return whether the source has been garbage-collected */
    boolean sourceGone() {
        return source.get() == null;
    }

    /**
     * Records into the timer what the histogram gained since the last replay.
     *
     * @param nanoTime the time now ({@link System#nanoTime()})
     * @return false if the source has been garbage-collected (nothing was replayed)
     */
    boolean replay(long nanoTime) {
        T s = source.get();
        if (s == null) {
            return false;
        }
        Buckets buckets = reader.apply(s);
        this.cursor = 0;
        this.now = nanoTime;
        buckets.forEachBucket(this);
        return true;
    }

    /** @return durations recorded into the timer so far */
    long recordedCount() {
        return recordedCount;
    }

    /** @return their sum, in nanoseconds */
    long recordedNanos() {
        return recordedNanos;
    }

    /**
     * @return nanoseconds the histogram has recorded that the timer has not had yet (negative if it has had more):
     *     what settled leftovers put off; the timer's total plus this is the histogram's total at the last replay
     */
    long owedNanos() {
        long total = 0;
        for (int i = 0; i < size; i++) {
            total += owed[i];
        }
        return total;
    }

    /** @return bucket growths left for a later replay because a snapshot caught them half-recorded */
    long deferrals() {
        return deferrals;
    }

    @Override
    public void visit(long lower, long upper, long count, long sum) {
        int i = cursor;
        while (i < size && lowers[i] < lower) {
            i++; // a baseline bucket this snapshot did not visit: counts never shrink, so only defensively
        }
        if (i == size || lowers[i] != lower) {
            insert(i, lower);
        }
        cursor = i + 1;
        long c = count - counts[i];
        long s = sum - sums[i];
        if (c == 0 && s == 0) {
            return;
        }
        if (count != seenCounts[i] || sum != seenSums[i]) {
            seenCounts[i] = count;
            seenSums[i] = sum;
            changedAt[i] = now;
        }
        if (!plausible(c, s, lower, upper) && now - changedAt[i] < SETTLE_NANOS) {
            deferrals++;
            return; // a record caught half-way: the next replay sees it whole
        }
        // Whole, or settled: replay the count, and the sum with what the bucket owes, as far as the bucket allows.
        long due = s + owed[i];
        if (c > 0) {
            long replayed = Math.min(Math.max(due, saturatedProduct(c, lower)), saturatedProduct(c, upper));
            record(c, replayed);
            due -= replayed;
        }
        owed[i] = due;
        counts[i] = count;
        sums[i] = sum;
    }

    /** Whether {@code c} durations within [lower, upper] can sum to {@code s}. */
    static boolean plausible(long c, long s, long lower, long upper) {
        if (c <= 0 || s < 0) {
            return false;
        }
        long q = s / c;
        return q >= lower && (q < upper || (q == upper && s % c == 0));
    }

    /** Records {@code c} durations that sum to {@code s}, as even as integers allow. */
    private void record(long c, long s) {
        long q = s / c;
        long r = s % c;
        for (long k = 0; k < r; k++) {
            timer.record(q + 1, TimeUnit.NANOSECONDS);
        }
        for (long k = r; k < c; k++) {
            timer.record(q, TimeUnit.NANOSECONDS);
        }
        recordedCount += c;
        recordedNanos += s;
    }

    private static long saturatedProduct(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return high != 0 || low < 0 ? Long.MAX_VALUE : low;
    }

    private void insert(int at, long lower) {
        if (size == lowers.length) {
            int grown = Math.max(16, size * 2);
            lowers = Arrays.copyOf(lowers, grown);
            counts = Arrays.copyOf(counts, grown);
            sums = Arrays.copyOf(sums, grown);
            owed = Arrays.copyOf(owed, grown);
            seenCounts = Arrays.copyOf(seenCounts, grown);
            seenSums = Arrays.copyOf(seenSums, grown);
            changedAt = Arrays.copyOf(changedAt, grown);
        }
        int tail = size - at;
        System.arraycopy(lowers, at, lowers, at + 1, tail);
        System.arraycopy(counts, at, counts, at + 1, tail);
        System.arraycopy(sums, at, sums, at + 1, tail);
        System.arraycopy(owed, at, owed, at + 1, tail);
        System.arraycopy(seenCounts, at, seenCounts, at + 1, tail);
        System.arraycopy(seenSums, at, seenSums, at + 1, tail);
        System.arraycopy(changedAt, at, changedAt, at + 1, tail);
        lowers[at] = lower;
        counts[at] = 0;
        sums[at] = 0;
        owed[at] = 0;
        seenCounts[at] = 0;
        seenSums[at] = 0;
        changedAt[at] = now;
        size++;
    }
}
