package dev.spool.autoconfigure.adopt;

import java.util.List;
import java.util.concurrent.Executor;

import dev.spool.autoconfigure.InvalidSpoolConfigurationException;
import dev.spool.autoconfigure.InvalidSpoolConfigurationException.Problem;
import dev.spool.futures.AdoptedExecutor;
import dev.spool.futures.ExecutorState;
import dev.spool.futures.ExecutorType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.tomcat.TomcatWebServerFactory;

/**
 * {@code spool.adopt.tomcat}: the embedded Tomcat's request pool as executor {@code tomcat}. The server's protocol
 * becomes {@link ObservedHttp11NioProtocol} (Tomcat's default NIO protocol, extended), whose endpoint makes the pool as
 * Tomcat does and records its tasks here; the levels are read from that pool once the connector has started it.
 */
final class TomcatAdoption {

    private static final Log logger = LogFactory.getLog(TomcatAdoption.class);

    private final AdoptedExecutor observer;
    private final TomcatAdoptionCheck check;
    private volatile @Nullable Executor pool;

    /**
     * @param virtual {@code spring.threads.virtual.enabled}: Boot runs Tomcat's requests on virtual threads
     * @param check   told when the pool has started
     */
    TomcatAdoption(boolean virtual, TomcatAdoptionCheck check) {
        this.check = check;
        this.observer = AdoptedExecutor.builder(AdoptedPool.TOMCAT.poolName(),
                        virtual ? ExecutorType.VIRTUAL : ExecutorType.THREAD)
                .poolSize(this::poolSize)
                .maxWorkers(() -> pool() instanceof ThreadPoolExecutor tomcat ? tomcat.getMaximumPoolSize()
                        : Integer.MAX_VALUE)
                .queued(() -> pool() instanceof ThreadPoolExecutor tomcat ? tomcat.getQueue().size() : 0)
                .queueCapacity(() -> pool() instanceof ThreadPoolExecutor tomcat
                        ? saturatingSum(tomcat.getQueue().size(), tomcat.getQueue().remainingCapacity())
                        : Integer.MAX_VALUE)
                .state(() -> pool() instanceof java.util.concurrent.ExecutorService tomcat && tomcat.isShutdown()
                        ? ExecutorState.SHUTDOWN : ExecutorState.RUNNING)
                .build();
    }

    private static int saturatingSum(int a, int b) {
        long sum = (long) a + b;
        return sum >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) sum;
    }

    /** @return Tomcat's threads alive; a virtual pool's thread per request running now */
    private int poolSize() {
        return pool() instanceof ThreadPoolExecutor tomcat ? tomcat.getPoolSize() : this.observer.running();
    }

    private @Nullable Executor pool() {
        return this.pool;
    }

    /** @return the observer, a bean of the context */
    AdoptedExecutor observer() {
        return this.observer;
    }

    /** @param pool the request pool the connector has just made */
    void started(Executor pool) {
        this.pool = pool;
        this.check.started();
        logger.info("Spool adopted Tomcat's request pool (" + pool.getClass().getSimpleName() + ", "
                + this.observer.type().tag() + "): executor 'tomcat' in meters and /actuator/executors");
    }

    /**
     * Makes the server use the observed protocol; refuses a server configured with another protocol, whose pool
     * Spool cannot see.
     *
     * @param factory Boot's Tomcat factory
     */
    void customize(TomcatWebServerFactory factory) {
        String protocol = factory.getProtocol();
        if (!TomcatWebServerFactory.DEFAULT_PROTOCOL.equals(protocol)
                && !ObservedHttp11NioProtocol.class.getName().equals(protocol)) {
            throw new InvalidSpoolConfigurationException(List.of(new Problem(AdoptedPool.TOMCAT.key(),
                    "is true, but the server's protocol is " + protocol + ", whose request pool Spool cannot see",
                    "keep Tomcat's default protocol (" + TomcatWebServerFactory.DEFAULT_PROTOCOL
                            + "), or remove the key")));
        }
        factory.setProtocol(ObservedHttp11NioProtocol.class.getName());
        factory.addProtocolHandlerCustomizers(handler -> {
            if (handler instanceof ObservedHttp11NioProtocol observed) {
                observed.observe(this);
            }
        });
    }
}
