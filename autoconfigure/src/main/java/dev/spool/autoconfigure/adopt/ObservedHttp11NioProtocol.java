package dev.spool.autoconfigure.adopt;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import dev.spool.futures.AdoptedExecutor;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.NioEndpoint;
import org.apache.tomcat.util.threads.TaskQueue;
import org.apache.tomcat.util.threads.TaskThreadFactory;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.apache.tomcat.util.threads.VirtualThreadExecutor;
import org.jspecify.annotations.Nullable;

/**
 * Tomcat's default connector protocol ({@link Http11NioProtocol}: same class to {@code instanceof}, same names, same
 * settings) whose endpoint makes its request pool as Tomcat does, of Tomcat's own classes, and hands each task through
 * an {@link AdoptedExecutor} on its way in. What {@code spool.adopt.tomcat} sets as the server's protocol.
 *
 * <p>Why a protocol of its own: Tomcat's request pool has no hook for its tasks, and giving the endpoint an executor
 * from outside ({@code setExecutor}) makes Tomcat treat it as external (its {@code maxThreads} reads -1, resizing and
 * shutting down are no longer Tomcat's). The endpoint here still makes the pool itself, so Tomcat keeps owning it.
 * Public because Tomcat creates the protocol by class name.
 */
public class ObservedHttp11NioProtocol extends Http11NioProtocol {

    private final ObservedEndpoint endpoint;

    /** The protocol Tomcat creates from the connector's protocol class name. */
    public ObservedHttp11NioProtocol() {
        this(new ObservedEndpoint());
    }

    private ObservedHttp11NioProtocol(ObservedEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    /**
     * Called before the connector starts, by Spool's protocol customizer.
     *
     * @param adoption where the tasks are recorded and the pool is reported
     */
    void observe(TomcatAdoption adoption) {
        this.endpoint.adoption = adoption;
        Executor given = getExecutor();
        if (given != null) {
            setExecutor(given); // set by a customizer that ran first (Boot's, for virtual threads): observe it now
        }
    }

    /**
     * An executor given from outside (Boot gives Tomcat a {@code VirtualThreadExecutor} with
     * {@code spring.threads.virtual.enabled}) stays the one that runs the requests; once observed, the endpoint gets
     * it behind a recording {@link Executor}, external to Tomcat as the executor itself was.
     */
    @Override
    public void setExecutor(@Nullable Executor executor) {
        TomcatAdoption adoption = this.endpoint.adoption;
        if (adoption != null && executor != null && !(executor instanceof Observing)) {
            adoption.started(executor);
            super.setExecutor(new Observing(executor, adoption.observer()));
        } else {
            super.setExecutor(executor);
        }
    }

    /** An executor from outside, recording each task on its way to it. */
    static final class Observing implements Executor {
        private final Executor executor;
        private final AdoptedExecutor observer;

        Observing(Executor executor, AdoptedExecutor observer) {
            this.executor = executor;
            this.observer = observer;
        }

        @Override
        public void execute(Runnable command) {
            this.observer.execute(command, this.executor);
        }

        @Override
        public String toString() {
            return "observed(" + this.executor + ")";
        }
    }

    /** The NIO endpoint, with the request pool made as Tomcat makes it, recording its tasks. */
    static final class ObservedEndpoint extends NioEndpoint {
        private volatile @Nullable TomcatAdoption adoption;

        @Override
        public void createExecutor() {
            TomcatAdoption adoption = this.adoption;
            if (adoption == null) {
                super.createExecutor();
                return;
            }
            this.internalExecutor = true; // as Tomcat's own: the limits below read the endpoint's settings
            Executor pool;
            if (getUseVirtualThreads()) {
                pool = new ObservedVirtualThreads(getName() + "-virt-", adoption.observer());
            } else {
                TaskQueue queue = new TaskQueue(getMaxQueueSize());
                TaskThreadFactory threads = new TaskThreadFactory(getName() + "-exec-", getDaemon(),
                        getThreadPriority());
                ObservedPool threadPool = new ObservedPool(getMinSpareThreads(), getMaxThreads(),
                        getThreadsMaxIdleTime(), queue, threads, adoption.observer());
                queue.setParent(threadPool);
                pool = threadPool;
            }
            setExecutor(pool);
            // setExecutor marks any pool set through it as external; this one is the endpoint's own, so Tomcat
            // reports its maxThreads, resizes it and shuts it down exactly as it does the pool it makes
            this.internalExecutor = true;
            adoption.started(pool);
        }
    }

    /** Tomcat's request thread pool, recording each task. */
    static final class ObservedPool extends ThreadPoolExecutor {
        private final AdoptedExecutor observer;

        ObservedPool(int core, int max, long idleMillis, TaskQueue queue, TaskThreadFactory threads,
                     AdoptedExecutor observer) {
            super(core, max, idleMillis, TimeUnit.MILLISECONDS, queue, threads);
            this.observer = observer;
        }

        @Override
        public void execute(Runnable command) {
            this.observer.execute(command, super::execute);
        }
    }

    /** Tomcat's virtual-thread executor, recording each task. */
    static final class ObservedVirtualThreads extends VirtualThreadExecutor {
        private final AdoptedExecutor observer;

        ObservedVirtualThreads(String namePrefix, AdoptedExecutor observer) {
            super(namePrefix);
            this.observer = observer;
        }

        @Override
        public void execute(Runnable command) {
            this.observer.execute(command, super::execute);
        }
    }
}
