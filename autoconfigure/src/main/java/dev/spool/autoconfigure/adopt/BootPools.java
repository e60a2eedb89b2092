package dev.spool.autoconfigure.adopt;

import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.IntSupplier;

import dev.spool.futures.AdoptedExecutor;
import dev.spool.futures.ExecutorState;
import dev.spool.futures.ExecutorType;
import org.jspecify.annotations.Nullable;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The {@link AdoptedExecutor} of each kind of pool Boot builds, reading its levels through the pool's public getters.
 * A pool not initialized yet (its JDK executor is made in {@code afterPropertiesSet}) reads as running and empty.
 */
final class BootPools {

    private BootPools() {
    }

    /**
     * @param name    what it shows under
     * @param virtual whether Boot runs it on virtual threads ({@code spring.threads.virtual.enabled})
     * @param pool    one of Boot's pools: a {@link ThreadPoolTaskExecutor}, {@link ThreadPoolTaskScheduler} or
     *                {@link SimpleAsyncTaskExecutor} (which {@code SimpleAsyncTaskScheduler} is too)
     * @return its observer; null for any other type
     */
    static @Nullable AdoptedExecutor of(String name, boolean virtual, Object pool) {
        return switch (pool) {
            case ThreadPoolTaskExecutor executor -> AdoptedExecutor.builder(name, ExecutorType.THREAD)
                    .poolSize(executor::getPoolSize)
                    .maxWorkers(executor::getMaxPoolSize)
                    .queued(executor::getQueueSize)
                    .queueCapacity(executor::getQueueCapacity)
                    .state(() -> state(jdk(executor)))
                    .build();
            case ThreadPoolTaskScheduler scheduler -> AdoptedExecutor.builder(name, ExecutorType.THREAD)
                    .poolSize(scheduler::getPoolSize)
                    .maxWorkers(read(scheduler, ThreadPoolExecutor::getCorePoolSize, 1))
                    // the scheduler's queue: every task scheduled and not running, delayed ones included
                    .queued(read(scheduler, p -> p.getQueue().size(), 0))
                    .state(() -> state(jdk(scheduler)))
                    .build();
            // SimpleAsyncTaskScheduler too: a thread per task, no queue; callers wait at the concurrency limit
            case SimpleAsyncTaskExecutor executor -> AdoptedExecutor.builder(name,
                            virtual ? ExecutorType.VIRTUAL : ExecutorType.THREAD)
                    .maxWorkers(() -> executor.getConcurrencyLimit() < 0 ? Integer.MAX_VALUE
                            : executor.getConcurrencyLimit())
                    .state(() -> executor.isActive() ? ExecutorState.RUNNING : ExecutorState.SHUTDOWN)
                    .build();
            default -> null;
        };
    }

    /** @return the JDK executor under a pool, or null before it is initialized */
    static @Nullable ThreadPoolExecutor jdk(Object pool) {
        try {
            return switch (pool) {
                case ThreadPoolTaskExecutor executor -> executor.getThreadPoolExecutor();
                case ThreadPoolTaskScheduler scheduler -> scheduler.getScheduledThreadPoolExecutor();
                default -> null;
            };
        } catch (IllegalStateException notInitialized) {
            return null;
        }
    }

    private static ExecutorState state(@Nullable ThreadPoolExecutor jdk) {
        return jdk != null && jdk.isShutdown() ? ExecutorState.SHUTDOWN : ExecutorState.RUNNING;
    }

    private static IntSupplier read(Object pool, java.util.function.ToIntFunction<ThreadPoolExecutor> level,
                                    int before) {
        return () -> {
            ThreadPoolExecutor jdk = jdk(pool);
            return jdk != null ? level.applyAsInt(jdk) : before;
        };
    }
}
