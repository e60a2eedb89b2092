package dev.spool.process;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import dev.spool.futures.ProcessPool;
import dev.spool.futures.SerializableCallable;
import dev.spool.futures.WorkerInfo;

/**
 * The parent JVM of {@link WorkerProtocolTest#workersDieWithTheirParentEvenWhenItIsKilled}: starts a pool of two
 * busy workers, prints their pids and "ready", and waits to be killed.
 */
public final class OrphanParent {
    private OrphanParent() {
    }

    record Forever() implements SerializableCallable<Integer> {
        @Override
        public Integer call() throws InterruptedException {
            Thread.currentThread().join();
            return 0;
        }
    }

    public static void main(String[] args) throws Exception {
        CountDownLatch ready = new CountDownLatch(2);
        ProcessPool pool = ProcessPool.builder().name("orphans").maxWorkers(2).prestart(true)
                .workerListener(new ProcessPool.WorkerListener() {
                    @Override
                    public void workerStarted(WorkerInfo worker, ProcessPool.StartReason reason, Duration startup) {
                        ready.countDown();
                    }
                }).build();
        pool.submit(new Forever());
        pool.submit(new Forever());
        ready.await();
        for (WorkerInfo worker : pool.workers()) {
            System.out.println("worker " + worker.pid());
        }
        System.out.println("ready");
        System.out.flush();
        Thread.currentThread().join();
    }
}
