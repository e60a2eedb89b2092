package dev.spool.benchmarks.threading;

import dev.spool.benchmarks.metrics.BenchMetrics;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.spool.threading.Event;

/**
 * Two threads handing a turn back and forth ({@code JucAnchor.eventPingpong} with a pair of {@code SynchronousQueue}s,
 * {@code python_anchor.event_pingpong} with a pair of Events). Each operation is one round trip: the benchmark thread
 * pings, a partner thread answers. Target: Spool's Events at least 0.7x the JDK's handoff.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class EventPingPongBenchmark {

    /** Python's workload: {@code a.set(); b.wait(); b.clear()} here, {@code a.wait(); a.clear(); b.set()} there. */
    @State(Scope.Benchmark)
    public static class Events {
        final Event ping = new Event("bench-ping");
        final Event pong = new Event("bench-pong");
        volatile boolean stop;
        Thread partner;

        @Setup(Level.Trial)
        public void start() {
            partner = Thread.ofPlatform().name("event-partner").daemon(true).start(() -> {
                try {
                    for (;;) {
                        ping.await();
                        ping.clear();
                        if (stop) {
                            return;
                        }
                        pong.set();
                    }
                } catch (InterruptedException e) {
                    // stopped
                }
            });
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            stop = true;
            ping.set();
            partner.join();
        }
    }


    /** {@link Events} with both events bound to a Prometheus registry. */
    public static class MeteredEvents extends Events {
        BenchMetrics metrics;

        @Setup(Level.Trial)
        public void bindMetrics() {
            metrics = BenchMetrics.attach("prometheus", ping, pong);
        }

        @TearDown(Level.Trial)
        public void closeMetrics() {
            metrics.close();
        }
    }

    /** The JDK anchor's workload: {@code a.put(i); b.take()} here, {@code b.put(a.take())} there. */
    @State(Scope.Benchmark)
    public static class Queues {
        final SynchronousQueue<Integer> ping = new SynchronousQueue<>();
        final SynchronousQueue<Integer> pong = new SynchronousQueue<>();
        Thread partner;

        @Setup(Level.Trial)
        public void start() {
            partner = Thread.ofPlatform().name("queue-partner").daemon(true).start(() -> {
                try {
                    for (;;) {
                        pong.put(ping.take());
                    }
                } catch (InterruptedException e) {
                    // stopped
                }
            });
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            partner.interrupt();
            partner.join();
        }
    }

    /** One round trip through two Spool {@link Event}s. */
    @Benchmark
    public void spoolEvents(Events events) throws InterruptedException {
        events.ping.set();
        events.pong.await();
        events.pong.clear();
    }

    /** {@link #spoolEvents} with the events' meters bound to a Prometheus registry. */
    @Benchmark
    public void spoolEventsMetered(MeteredEvents events) throws InterruptedException {
        spoolEvents(events);
    }

    /** The JDK baseline: one round trip through two {@code SynchronousQueue}s. */
    @Benchmark
    public Integer jucSynchronousQueues(Queues queues) throws InterruptedException {
        queues.ping.put(1);
        return queues.pong.take();
    }
}
