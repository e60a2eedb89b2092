package dev.spool.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class StripedCounterTest {

    @Test
    @Timeout(30)
    void platformAndVirtualThreadsCountingAtOnceLoseNothing() throws InterruptedException {
        StripedCounter counter = new StripedCounter();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                awaitQuietly(go);
                for (int i = 0; i < 100_000; i++) {
                    counter.increment();
                }
            }));
        }
        for (int t = 0; t < 5_000; t++) {
            threads.add(Thread.ofVirtual().start(() -> {
                awaitQuietly(go);
                counter.add(3);
            }));
        }
        go.countDown();
        for (Thread thread : threads) {
            assertThat(thread.join(Duration.ofSeconds(20))).isTrue();
        }
        assertThat(counter.sum()).isEqualTo(8 * 100_000L + 5_000 * 3L);
        assertThat(counter).hasToString(Long.toString(815_000L));
    }

    @Test
    void aNewCounterIsZeroAndTakesNegativeAdds() {
        StripedCounter counter = new StripedCounter();
        assertThat(counter.sum()).isZero();
        counter.add(-2);
        counter.increment();
        assertThat(counter.sum()).isEqualTo(-1);
    }

    @Test
    void stripesAreAPowerOfTwoAndNeighbouringThreadIdsSpreadOverAllOfThem() {
        int stripes = ThreadStripes.COUNT;
        assertThat(Integer.bitCount(stripes)).isEqualTo(1);
        assertThat(stripes).isBetween(4, ThreadStripes.MAX_COUNT)
                .isGreaterThanOrEqualTo(Math.min(ThreadStripes.MAX_COUNT, 4 * Runtime.getRuntime().availableProcessors()));
        int[] hits = new int[stripes];
        long first = 1_000_003L;
        int ids = 64 * stripes;
        for (long id = first; id < first + ids; id++) {
            int stripe = ThreadStripes.of(id);
            assertThat(stripe).isBetween(0, stripes - 1);
            hits[stripe]++;
        }
        for (int count : hits) {
            assertThat(count).isBetween(32, 128); // each stripe within half and twice its share of 64
        }
        // the id just after a thread's (the next thread started) is never on the same stripe
        for (long id = first; id < first + ids; id++) {
            assertThat(ThreadStripes.of(id + 1)).isNotEqualTo(ThreadStripes.of(id));
        }
        assertThat(ThreadStripes.current()).isEqualTo(ThreadStripes.of(Thread.currentThread().threadId()));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
