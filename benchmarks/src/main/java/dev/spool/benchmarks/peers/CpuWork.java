package dev.spool.benchmarks.peers;

import java.util.concurrent.Callable;
import java.util.function.DoubleSupplier;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Tasks that burn a given number of microseconds of CPU, made of {@link Blackhole#consumeCPU(long)} tokens, for the
 * peer suites. How many tokens make a microsecond depends on the machine, so it is calibrated: read from the system
 * property {@value #TOKENS_PER_MICRO_PROPERTY} when set, measured otherwise.
 *
 * <p>Every peer of a run must do the same work per task, so {@code benchmarks/run} measures the figure once
 * ({@link #main}) and hands it to every JMH fork through the property; a fork started without it measures on its own,
 * and its figure can then differ from another fork's by the machine's noise.
 */
public final class CpuWork {
    /** System property that fixes the calibration: {@code Blackhole.consumeCPU} tokens per microsecond. */
    public static final String TOKENS_PER_MICRO_PROPERTY = "spool.bench.cpuTokensPerMicro";

    /** Tokens per timed round: long enough (about a millisecond) that the two clock reads are noise. */
    static final long ROUND_TOKENS = 200_000;
    static final int WARMUP_ROUNDS = 200;
    static final int MEASURED_ROUNDS = 21;

    private static volatile double calibrated;

    private CpuWork() {
    }

    /**
     * @param micros how long each call should burn the CPU
     * @return a task that burns about {@code micros} µs of one core's time and returns the tokens it consumed
     */
    public static Callable<Long> task(double micros) {
        long tokens = tokensFor(micros, tokensPerMicro());
        return () -> {
            Blackhole.consumeCPU(tokens);
            return tokens;
        };
    }

    /** @return the calibration in force in this JVM: the property's value, or a measurement made on first use */
    public static double tokensPerMicro() {
        double value = calibrated;
        if (value == 0) {
            value = resolve(System.getProperty(TOKENS_PER_MICRO_PROPERTY), CpuWork::measure);
            calibrated = value;
        }
        return value;
    }

    /**
     * @param property the value of {@value #TOKENS_PER_MICRO_PROPERTY}, or null when unset
     * @param measure  what measures the figure when the property is unset
     * @return tokens per microsecond
     */
    static double resolve(String property, DoubleSupplier measure) {
        if (property == null || property.isBlank()) {
            return measure.getAsDouble();
        }
        double value;
        try {
            value = Double.parseDouble(property.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(TOKENS_PER_MICRO_PROPERTY + " must be a positive number of"
                    + " Blackhole.consumeCPU tokens per microsecond (as printed by CpuWork's main), was '"
                    + property + "'", e);
        }
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(TOKENS_PER_MICRO_PROPERTY + " must be a positive number of"
                    + " Blackhole.consumeCPU tokens per microsecond (as printed by CpuWork's main), was " + property);
        }
        return value;
    }

    /**
     * @param micros         the work wanted per task
     * @param tokensPerMicro the calibration
     * @return tokens to consume: none for 0 µs (a no-op task), else at least one, so a timed task is never empty
     */
    static long tokensFor(double micros, double tokensPerMicro) {
        if (!(micros >= 0) || Double.isInfinite(micros)) {
            throw new IllegalArgumentException("task length must be 0 or a positive number of microseconds, was "
                    + micros);
        }
        return micros == 0 ? 0 : Math.max(1, Math.round(micros * tokensPerMicro));
    }

    /**
     * @param tokens tokens consumed in one round
     * @param nanos  how long the round took
     * @return tokens per microsecond
     */
    static double rate(long tokens, long nanos) {
        return tokens * 1_000.0 / Math.max(1, nanos);
    }

    /**
     * Times rounds of {@link #ROUND_TOKENS} tokens after a warm-up that lets the JIT compile the loop, and keeps the
     * fastest round: a slower one was interrupted by another thread or by the OS, which is not the work's own cost.
     *
     * @return tokens per microsecond on this machine, one thread
     */
    static double measure() {
        for (int i = 0; i < WARMUP_ROUNDS; i++) {
            Blackhole.consumeCPU(ROUND_TOKENS / 20);
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < MEASURED_ROUNDS; i++) {
            long start = System.nanoTime();
            Blackhole.consumeCPU(ROUND_TOKENS);
            best = Math.min(best, System.nanoTime() - start);
        }
        return rate(ROUND_TOKENS, best);
    }

    /**
     * Prints the calibration ({@code benchmarks/run} passes it to every fork as {@value #TOKENS_PER_MICRO_PROPERTY}).
     *
     * @param args none
     */
    public static void main(String[] args) {
        System.out.printf(java.util.Locale.ROOT, "%.3f%n", tokensPerMicro());
    }
}
