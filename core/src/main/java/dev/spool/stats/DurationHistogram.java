package dev.spool.stats;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

import dev.spool.internal.ThreadStripes;

/**
 * A cumulative distribution of durations, cheap enough to record on every task: the engine's own latency
 * statistics, from which endpoints read percentiles and the metrics layer feeds Micrometer timers.
 *
 * <h2>Buckets</h2>
 * Durations are nanoseconds. Values below 16 have a bucket each; above, every power of two is split into 16
 * buckets of equal width, so a bucket is at most 1/16 (6.25 %) of its lower bound wide, from nanoseconds to
 * centuries, in 960 buckets. Each bucket keeps the exact count and sum of the values that fell into it, so
 * totals and means are exact and a percentile is the mean of the bucket it falls into.
 *
 * <h2>Cost</h2>
 * {@link #record} computes the bucket index with two shifts, then adds to the bucket's count and sum in the calling
 * thread's stripe (see {@link ThreadStripes}: threads that record at one instant rarely share one; the count and the
 * sum sit on one cache line) and reads the maximum (written only when beaten): no lock, no clock, and no allocation
 * except the first time a stripe hits a range. A long-lived thread that records often (an executor's worker) can take
 * a {@link Recorder} instead, which records with plain writes into buckets of its own; readings add every stripe and
 * every recorder in. Buckets are created on demand, in rows of 16, so a histogram costs memory only for the ranges it
 * has seen. Nothing is ever reset: readers take a {@link #snapshot()}
 * and subtract an earlier one to see what happened in between.
 */
public final class DurationHistogram {
    /** Sub-buckets per power of two, as a power of two. */
    private static final int SUB_BITS = 4;
    private static final int SUB_COUNT = 1 << SUB_BITS;
    /** Exponents SUB_BITS..62 (values up to Long.MAX_VALUE), each with SUB_COUNT buckets, after the small values. */
    static final int BUCKETS = SUB_COUNT + (63 - SUB_BITS) * SUB_COUNT;
    /** Longs on each side of the maximum: 64 bytes, a cache line. */
    private static final int MAX_PADDING = 8;
    /** Rows of SUB_COUNT buckets. */
    private static final int ROW_COUNT = BUCKETS / SUB_COUNT;
    /**
     * A row's longs: bucket {@code sub}'s count at {@code ROW_PADDING + 2 * sub} and its sum just after it (one cache
     * line for both), and a cache line of padding at each end, so rows that the JVM places side by side do not share
     * a line.
     */
    private static final int ROW_PADDING = 8;
    private static final int ROW_LENGTH = 2 * ROW_PADDING + 2 * SUB_COUNT;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle ROWS = MethodHandles.arrayElementVarHandle(long[][].class);
    private static final VarHandle STRIPES = MethodHandles.arrayElementVarHandle(long[][][].class);
    private static final Recorder[] NO_RECORDERS = {};

    /** The shared records: one array of rows per stripe, each made when its first thread records. */
    private final long[][][] stripes = new long[ThreadStripes.COUNT][][];
    /**
     * The longest duration, alone on its cache line in the middle of this array: read by every record, written only
     * when a record beats it, which is rare once warm. (A {@code LongAccumulator} stripes it into per-thread cells;
     * with few CPUs, threads keep colliding on the cells' compare-and-set: in a profile of the thread-pool hot path
     * on 2 CPUs that was 30 % of all CPU samples.)
     */
    private final long[] max = new long[2 * MAX_PADDING + 1];
    /** Single-writer recorders of long-lived threads; read (and changed) under this histogram's lock. */
    private volatile Recorder[] recorders = NO_RECORDERS;

    /**
     * Records one duration; a negative one (a clock that went backwards) counts as zero.
     *
     * @param nanos the duration in nanoseconds
     */
    public void record(long nanos) {
        long value = Math.max(0L, nanos);
        int index = indexOf(value);
        long[] row = sharedRow(ThreadStripes.current(), index >>> SUB_BITS);
        int at = countAt(index);
        LONGS.getAndAdd(row, at, 1L);
        LONGS.getAndAdd(row, at + 1, value);
        raiseMax(value);
    }

    /** A stripe's row, made (and published with a compare-and-set, so two threads agree on one) on first use. */
    private long[] sharedRow(int stripe, int r) {
        long[][] rows = (long[][]) STRIPES.getAcquire(stripes, stripe);
        if (rows == null) {
            long[][] fresh = new long[ROW_COUNT][];
            rows = (long[][]) STRIPES.compareAndExchange(stripes, stripe, null, fresh);
            if (rows == null) {
                rows = fresh;
            }
        }
        long[] row = (long[]) ROWS.getAcquire(rows, r);
        if (row == null) {
            long[] fresh = new long[ROW_LENGTH];
            row = (long[]) ROWS.compareAndExchange(rows, r, null, fresh);
            if (row == null) {
                row = fresh;
            }
        }
        return row;
    }

    /** Where bucket {@code index}'s count is in its row; its sum is the next long. */
    private static int countAt(int index) {
        return ROW_PADDING + 2 * (index & (SUB_COUNT - 1));
    }

    /** Adds one array of rows into the arrays given (either may be null). */
    private static void addRows(long[][] rows, long[] counts, long[] sums) {
        for (int r = 0; r < ROW_COUNT; r++) {
            long[] row = (long[]) ROWS.getAcquire(rows, r);
            if (row == null) {
                continue;
            }
            for (int sub = 0; sub < SUB_COUNT; sub++) {
                int index = r * SUB_COUNT + sub;
                int at = countAt(index);
                if (counts != null) {
                    counts[index] += (long) LONGS.getVolatile(row, at);
                }
                if (sums != null) {
                    sums[index] += (long) LONGS.getVolatile(row, at + 1);
                }
            }
        }
    }

    /** @return how many durations were recorded (sums every bucket: for a one-off read, not a hot loop) */
    public long count() {
        long[] counts = new long[BUCKETS];
        accumulate(counts, null);
        long count = 0;
        for (long c : counts) {
            count += c;
        }
        return count;
    }

    /** @return the sum of every duration recorded, in nanoseconds (sums every bucket, like {@link #count()}) */
    public long totalNanos() {
        long[] sums = new long[BUCKETS];
        accumulate(null, sums);
        long total = 0;
        for (long s : sums) {
            total += s;
        }
        return total;
    }

    /** @return the longest duration recorded, 0 if none */
    public long maxNanos() {
        return (long) LONGS.getVolatile(max, MAX_PADDING);
    }

    /**
     * Copies the current counts. Recording goes on while the copy is taken, so a snapshot taken under load may
     * miss, or half-include, the values recorded during the copy; a later snapshot includes them.
     *
     * @return an immutable copy
     */
    public Snapshot snapshot() {
        long[] counts = new long[BUCKETS];
        long[] sums = new long[BUCKETS];
        accumulate(counts, sums);
        return Snapshot.compact(counts, sums, maxNanos());
    }

    /** Adds the shared buckets and every open recorder into the arrays given (either may be null). */
    private synchronized void accumulate(long[] counts, long[] sums) {
        for (int stripe = 0; stripe < stripes.length; stripe++) {
            long[][] rows = (long[][]) STRIPES.getAcquire(stripes, stripe);
            if (rows != null) {
                addRows(rows, counts, sums);
            }
        }
        for (Recorder recorder : recorders) {
            addRows(recorder.rows, counts, sums);
        }
    }

    /**
     * A recorder for one thread, which records with plain writes instead of atomic ones. An executor gives one to
     * each long-lived worker thread; everything else uses {@link #record}. The histogram's readings include it;
     * {@link Recorder#close()} folds it into the histogram when the thread is done.
     *
     * @return a recorder registered with this histogram, owned by the calling thread
     */
    public synchronized Recorder newRecorder() {
        Recorder recorder = new Recorder(Thread.currentThread());
        Recorder[] grown = Arrays.copyOf(recorders, recorders.length + 1);
        grown[grown.length - 1] = recorder;
        recorders = grown;
        return recorder;
    }

    private synchronized void retire(Recorder recorder) {
        Recorder[] current = recorders;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == recorder) {
                long[] counts = new long[BUCKETS];
                long[] sums = new long[BUCKETS];
                addRows(recorder.rows, counts, sums);
                int stripe = ThreadStripes.current();
                for (int b = 0; b < BUCKETS; b++) {
                    if (counts[b] != 0 || sums[b] != 0) {
                        long[] row = sharedRow(stripe, b >>> SUB_BITS);
                        LONGS.getAndAdd(row, countAt(b), counts[b]);
                        LONGS.getAndAdd(row, countAt(b) + 1, sums[b]);
                    }
                }
                Recorder[] shrunk = new Recorder[current.length - 1];
                System.arraycopy(current, 0, shrunk, 0, i);
                System.arraycopy(current, i + 1, shrunk, i, current.length - i - 1);
                recorders = shrunk;
                return;
            }
        }
    }

    private void raiseMax(long value) {
        long m = (long) LONGS.getOpaque(max, MAX_PADDING);
        while (value > m && !LONGS.weakCompareAndSet(max, MAX_PADDING, m, value)) {
            m = (long) LONGS.getVolatile(max, MAX_PADDING);
        }
    }

    /**
     * Records for one thread only (its owner) with plain writes: a count and a sum per bucket, in rows of 16
     * buckets made the first time a row is hit. Readers of the histogram see its values through opaque reads, so a
     * reading may lag a record by a moment, never tear it. Recording from any other thread than the owner loses
     * values: check {@link #owner()} when in doubt.
     */
    public final class Recorder implements AutoCloseable {
        private final Thread owner;
        /** Row r holds buckets 16r..16r+15, laid out as the shared rows are. */
        private final long[][] rows = new long[ROW_COUNT][];
        private boolean closed;

        private Recorder(Thread owner) {
            this.owner = owner;
        }

        /** @return the one thread that may record with this recorder */
        public Thread owner() {
            return owner;
        }

        /**
         * Records one duration, as {@link DurationHistogram#record}, from the owner thread.
         *
         * @param nanos the duration in nanoseconds
         */
        public void record(long nanos) {
            long value = Math.max(0L, nanos);
            int index = indexOf(value);
            long[] row = rows[index >>> SUB_BITS];
            if (row == null) {
                row = new long[ROW_LENGTH];
                ROWS.setRelease(rows, index >>> SUB_BITS, row);
            }
            int at = countAt(index);
            LONGS.setOpaque(row, at, row[at] + 1);
            LONGS.setOpaque(row, at + 1, row[at + 1] + value);
            raiseMax(value);
        }

        /** Folds what it recorded into the histogram and unregisters; the owner must not record afterwards. */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                retire(this);
            }
        }
    }

    /** The bucket a value falls into. */
    static int indexOf(long value) {
        if (value < SUB_COUNT) {
            return (int) value;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(value); // >= SUB_BITS
        int sub = (int) (value >>> (exponent - SUB_BITS)) & (SUB_COUNT - 1);
        return SUB_COUNT + (exponent - SUB_BITS) * SUB_COUNT + sub;
    }

    /** The smallest value of a bucket. */
    static long lowerBound(int index) {
        if (index < SUB_COUNT) {
            return index;
        }
        int exponent = (index - SUB_COUNT) / SUB_COUNT + SUB_BITS;
        int sub = (index - SUB_COUNT) % SUB_COUNT;
        return (long) (SUB_COUNT + sub) << (exponent - SUB_BITS);
    }

    /** The largest value of a bucket. */
    static long upperBound(int index) {
        return index == BUCKETS - 1 ? Long.MAX_VALUE : lowerBound(index + 1) - 1;
    }

    /**
     * What a {@link DurationHistogram} held at one moment, or between two moments ({@link #minus}). It keeps only the
     * buckets that hold something (a few dozen for a typical distribution, of the 960), so a reader can keep many
     * snapshots, such as a ring of recent ones to subtract from.
     */
    public static final class Snapshot {
        /** A snapshot of nothing. */
        public static final Snapshot EMPTY = new Snapshot(new int[0], new long[0], new long[0], 0L);

        /** The non-empty buckets' indexes, ascending; {@link #counts} and {@link #sums} hold their values. */
        private final int[] indexes;
        private final long[] counts;
        private final long[] sums;
        private final long maxNanos;
        private final long count;
        private final long totalNanos;

        private Snapshot(int[] indexes, long[] counts, long[] sums, long maxNanos) {
            this.indexes = indexes;
            this.counts = counts;
            this.sums = sums;
            this.maxNanos = maxNanos;
            long c = 0;
            long t = 0;
            for (int i = 0; i < indexes.length; i++) {
                c += counts[i];
                t += sums[i];
            }
            this.count = c;
            this.totalNanos = t;
        }

        /** Keeps the buckets of the full arrays that hold a count or a sum (a half-recorded value may have only one). */
        private static Snapshot compact(long[] counts, long[] sums, long maxNanos) {
            int size = 0;
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] != 0 || sums[i] != 0) {
                    size++;
                }
            }
            int[] indexes = new int[size];
            long[] c = new long[size];
            long[] s = new long[size];
            int k = 0;
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] != 0 || sums[i] != 0) {
                    indexes[k] = i;
                    c[k] = counts[i];
                    s[k] = sums[i];
                    k++;
                }
            }
            return new Snapshot(indexes, c, s, maxNanos);
        }

        /** @return how many durations */
        public long count() {
            return count;
        }

        /** @return their sum in nanoseconds */
        public long totalNanos() {
            return totalNanos;
        }

        /**
         * The longest duration. For a snapshot of a histogram ({@link DurationHistogram#snapshot()}) it is exact: the
         * longest ever recorded. For a difference ({@link #minus}) the buckets do not say exactly, so it is the bound
         * {@code minus} describes: never below the true value, at most one bucket's width (6.25 %) above it, and
         * exact when the window holds the histogram's longest duration or only one value in its highest bucket.
         *
         * @return nanoseconds, 0 when empty
         */
        public long maxNanos() {
            return maxNanos;
        }

        /** @return the mean in nanoseconds, 0 when empty */
        public double meanNanos() {
            return count == 0 ? 0.0 : (double) totalNanos / count;
        }

        /**
         * The value at or below which a fraction {@code p} of the durations fall, as the mean of the bucket that
         * holds that rank (within 6.25 % of the true value).
         *
         * @param p between 0 and 1
         * @return nanoseconds, 0 when empty
         * @throws IllegalArgumentException if {@code p} is outside [0, 1]
         */
        public double percentileNanos(double p) {
            if (!(p >= 0.0 && p <= 1.0)) {
                throw new IllegalArgumentException("percentile must be within [0, 1], was " + p);
            }
            if (count == 0) {
                return 0.0;
            }
            long rank = Math.max(1L, (long) Math.ceil(p * count));
            long seen = 0;
            for (int i = 0; i < indexes.length; i++) {
                seen += counts[i];
                if (seen >= rank && counts[i] > 0) {
                    return (double) sums[i] / counts[i];
                }
            }
            return maxNanos;
        }

        /**
         * What was recorded between {@code earlier} and this snapshot: bucket by bucket, the growth of the count and
         * the sum, so the count, the total and the mean of the window are exact and its percentiles are as precise
         * as a snapshot's.
         *
         * <p>The window's longest duration cannot be told from two cumulative maxima, so the difference's
         * {@link #maxNanos()} is a bound read from its highest non-empty bucket: the least of that bucket's upper
         * bound, of its sum minus the smallest values the bucket's other durations can have, and of this snapshot's
         * (cumulative) max; and at least the bucket's lower bound. It is never below the true value and at most the
         * bucket's width (6.25 %) above it; it is exact when the window holds the longest duration ever recorded
         * (the cumulative max then bounds it) or when its highest bucket holds a single duration (the sum then is
         * that duration).
         *
         * @param earlier a snapshot of the same histogram taken before this one
         * @return the difference; a bucket that seems to have shrunk (a snapshot of another histogram) counts as
         *         empty
         */
        public Snapshot minus(Snapshot earlier) {
            int[] idx = new int[indexes.length];
            long[] c = new long[indexes.length];
            long[] s = new long[indexes.length];
            int size = 0;
            int j = 0;
            for (int i = 0; i < indexes.length; i++) {
                int index = indexes[i];
                while (j < earlier.indexes.length && earlier.indexes[j] < index) {
                    j++;
                }
                boolean both = j < earlier.indexes.length && earlier.indexes[j] == index;
                long dc = Math.max(0L, counts[i] - (both ? earlier.counts[j] : 0L));
                long ds = Math.max(0L, sums[i] - (both ? earlier.sums[j] : 0L));
                if (dc != 0 || ds != 0) {
                    idx[size] = index;
                    c[size] = dc;
                    s[size] = ds;
                    size++;
                }
            }
            idx = Arrays.copyOf(idx, size);
            c = Arrays.copyOf(c, size);
            s = Arrays.copyOf(s, size);
            return new Snapshot(idx, c, s, windowMax(idx, c, s, maxNanos));
        }

        /** The bound {@link #minus} documents, for the buckets of a difference; 0 when they hold no duration. */
        private static long windowMax(int[] indexes, long[] counts, long[] sums, long cumulativeMax) {
            for (int i = indexes.length - 1; i >= 0; i--) {
                if (counts[i] > 0) {
                    long lower = lowerBound(indexes[i]);
                    long bound = Math.min(upperBound(indexes[i]), cumulativeMax);
                    long others = counts[i] - 1;
                    // The other durations of the bucket are each at least its lower bound, so the longest is at most
                    // the sum minus theirs; when that product exceeds the sum, the sum was caught half-recorded.
                    if (lower == 0 || others <= (sums[i] - lower) / lower) {
                        bound = Math.min(bound, sums[i] - others * lower);
                    }
                    return Math.max(bound, lower);
                }
            }
            return 0L;
        }

        /**
         * Both snapshots together, as if one histogram had recorded what either did (for instance the latencies of
         * every outcome).
         *
         * @param other a snapshot of another histogram
         * @return the sum; its max is the larger of the two
         */
        public Snapshot plus(Snapshot other) {
            int capacity = indexes.length + other.indexes.length;
            int[] idx = new int[capacity];
            long[] c = new long[capacity];
            long[] s = new long[capacity];
            int size = 0;
            int i = 0;
            int j = 0;
            while (i < indexes.length || j < other.indexes.length) {
                int a = i < indexes.length ? indexes[i] : Integer.MAX_VALUE;
                int b = j < other.indexes.length ? other.indexes[j] : Integer.MAX_VALUE;
                idx[size] = Math.min(a, b);
                if (a <= b) {
                    c[size] += counts[i];
                    s[size] += sums[i];
                    i++;
                }
                if (b <= a) {
                    c[size] += other.counts[j];
                    s[size] += other.sums[j];
                    j++;
                }
                size++;
            }
            return new Snapshot(Arrays.copyOf(idx, size), Arrays.copyOf(c, size), Arrays.copyOf(s, size),
                    Math.max(maxNanos, other.maxNanos));
        }

        /**
         * Visits every non-empty bucket, shortest durations first.
         *
         * @param visitor receives each bucket's bounds, count and sum
         */
        public void forEachBucket(BucketVisitor visitor) {
            for (int i = 0; i < indexes.length; i++) {
                if (counts[i] > 0) {
                    visitor.visit(lowerBound(indexes[i]), upperBound(indexes[i]), counts[i], sums[i]);
                }
            }
        }
    }

    /** Receives one bucket of a {@link Snapshot}. */
    @FunctionalInterface
    public interface BucketVisitor {
        /**
         * @param lowerNanos smallest value the bucket holds
         * @param upperNanos largest value the bucket holds
         * @param count      values in the bucket
         * @param sumNanos   their sum
         */
        void visit(long lowerNanos, long upperNanos, long count, long sumNanos);
    }
}
