package dev.spool.autoconfigure.actuate;

import dev.spool.autoconfigure.actuate.ExecutorsEndpoint.ExecutorDescriptor;
import dev.spool.futures.ExecutorStats;
import dev.spool.futures.AdoptedExecutor;
import dev.spool.futures.ObservedExecutor;
import dev.spool.futures.ScheduledPool;
import dev.spool.futures.ThreadPool;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * {@code POST /actuator/executors/{name}}: resizes a thread or virtual pool at run time, through
 * {@link ThreadPool#resize(int)} and {@link ThreadPool#setQueueCapacity(int)}. Registered only when
 * {@code spool.endpoints.write.enabled=true}; without it the endpoint has no write operation at all, so a POST is
 * answered 405 Method Not Allowed and cannot change anything.
 *
 * <p>The body is JSON with {@code maxWorkers}, {@code queueCapacity} or both, sent with
 * {@code Content-Type: application/json} (Boot answers 415 to a request without it), for instance
 * {@code {"maxWorkers": 8, "queueCapacity": 500}}. The answers:
 * <ul>
 *   <li>200 with the executor's new {@link ExecutorDescriptor};</li>
 *   <li>400 with an {@link ErrorDescriptor} saying why, and nothing changed, when a value is not a whole number,
 *       {@code maxWorkers} is below 1 (or above the engine's limit), {@code queueCapacity} is negative, neither is
 *       given, the executor is a process pool (whose size is fixed when it is built) or adopted
 *       ({@code spool.adopt.*}: sized by its own settings), or a scheduled pool is given a
 *       {@code queueCapacity} (its queue is unbounded; its {@code maxWorkers} can change);</li>
 *   <li>404 with an {@link ErrorDescriptor} when no executor has that name.</li>
 * </ul>
 * {@code queueCapacity} {@code "unbounded"} (or 2147483647) makes the queue unbounded; for a virtual pool
 * {@code maxWorkers} {@code "unbounded"} (or 2147483647) means unlimited; the answers show such a limit as
 * {@code "unbounded"}. Each change is logged at INFO (logger {@code dev.spool.autoconfigure.actuate}) with the old and new value.
 *
 * <p>Why a web extension that answers with a {@link WebEndpointResponse}, rather than an
 * {@code InvalidEndpointRequestException} thrown from the endpoint: Boot turns that exception into a 400 whose reason
 * goes through the error page, which hides it unless {@code server.error.include-message=always}. Here the reason is
 * the body, whatever the application's error settings.
 */
@EndpointWebExtension(endpoint = ExecutorsEndpoint.class)
public class ExecutorsEndpointWebExtension {

    private static final Log logger = LogFactory.getLog(ExecutorsEndpointWebExtension.class.getPackageName());

    private final ExecutorsEndpoint endpoint;

    /** @param endpoint the endpoint it extends, which finds the executors */
    ExecutorsEndpointWebExtension(ExecutorsEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * Applies the sizes given, after checking both: either every change is applied, or none.
     *
     * @param name          the executor's bean name
     * @param maxWorkers    the new worker limit, at least 1; null to leave it
     * @param queueCapacity the new queue capacity, 0 or more; null to leave it
     * @return 200 and the executor's new state, 400 and why not, or 404
     */
    @WriteOperation
    public WebEndpointResponse<OperationResponseBody> resize(@Selector String name, @Nullable String maxWorkers,
                                                             @Nullable String queueCapacity) {
        ObservedExecutor executor = this.endpoint.find(name);
        if (executor == null) {
            return error(WebEndpointResponse.STATUS_NOT_FOUND, "Not Found", "no executor is named '" + name + "'");
        }
        Integer workers;
        Integer capacity;
        try {
            workers = wholeNumber("maxWorkers", maxWorkers);
            capacity = wholeNumber("queueCapacity", queueCapacity);
        } catch (IllegalArgumentException invalid) {
            return badRequest(invalid.getMessage());
        }
        if (workers == null && capacity == null) {
            return badRequest("give maxWorkers, queueCapacity or both, for instance {\"maxWorkers\": 8}");
        }
        if (executor instanceof AdoptedExecutor) {
            return badRequest("executor '" + name + "' is adopted (spool.adopt.*): Spool observes it but does not run"
                    + " it, so size it with its own settings (spring.task.execution.pool.*, spring.task.scheduling.pool.*,"
                    + " server.tomcat.threads.*)");
        }
        if (executor instanceof ScheduledPool scheduled && capacity == null) {
            return resizeScheduled(name, scheduled, workers);
        }
        if (executor instanceof ScheduledPool) {
            return badRequest("executor '" + name + "' is a scheduled pool, whose queue is unbounded: give maxWorkers"
                    + " only");
        }
        if (!(executor instanceof ThreadPool pool)) {
            return badRequest("executor '" + name + "' is a " + executor.type().tag()
                    + " pool, whose maxWorkers and queueCapacity cannot change at run time");
        }
        // The engine checks each value as it applies it and changes nothing when it refuses one. The capacity's only
        // rule is checked here first, so that once resize has accepted maxWorkers nothing can fail any more.
        if (capacity != null && capacity < 0) {
            return badRequest("queueCapacity must be 0 or more, was " + capacity);
        }
        ExecutorStats before = pool.stats();
        try {
            if (workers != null) {
                pool.resize(workers);
            }
        } catch (IllegalArgumentException refused) {
            return badRequest(refused.getMessage());
        }
        if (capacity != null) {
            pool.setQueueCapacity(capacity);
        }
        ExecutorDescriptor after = ExecutorsEndpoint.describe(pool);
        logger.info("Executor '" + name + "' resized through /actuator/executors: maxWorkers "
                + ExecutorsEndpoint.limit(before.maxWorkers()) + " -> " + after.maxWorkers() + ", queueCapacity "
                + ExecutorsEndpoint.limit(before.queueCapacity()) + " -> " + after.queueCapacity());
        return new WebEndpointResponse<>(after, WebEndpointResponse.STATUS_OK);
    }

    /** A scheduled pool's workers can change; its queue has no capacity to change (it is unbounded). */
    private WebEndpointResponse<OperationResponseBody> resizeScheduled(String name, ScheduledPool pool, int workers) {
        int before = pool.stats().maxWorkers();
        try {
            pool.resize(workers);
        } catch (IllegalArgumentException refused) {
            return badRequest(refused.getMessage());
        }
        ExecutorDescriptor after = ExecutorsEndpoint.describe(pool);
        logger.info("Executor '" + name + "' resized through /actuator/executors: maxWorkers " + before + " -> "
                + after.maxWorkers());
        return new WebEndpointResponse<>(after, WebEndpointResponse.STATUS_OK);
    }

    /** @return null for no value, else the value as an int */
    private static @Nullable Integer wholeNumber(String key, @Nullable String value) {
        if (value == null) {
            return null;
        }
        if (value.strip().equalsIgnoreCase(ExecutorsEndpoint.UNBOUNDED)) {
            return Integer.MAX_VALUE;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException notAnInt) {
            throw new IllegalArgumentException(key + " must be a whole number up to 2147483647, or \"unbounded\", was \""
                    + value + "\"");
        }
    }

    private static WebEndpointResponse<OperationResponseBody> badRequest(String message) {
        return error(WebEndpointResponse.STATUS_BAD_REQUEST, "Bad Request", message);
    }

    private static WebEndpointResponse<OperationResponseBody> error(int status, String error, String message) {
        return new WebEndpointResponse<>(new ErrorDescriptor(status, error, message), status);
    }

    /**
     * Why a write was refused; the fields of Boot's own error responses.
     *
     * @param status  the HTTP status
     * @param error   its reason phrase
     * @param message what was wrong, and how to put it right
     */
    public record ErrorDescriptor(int status, String error, String message) implements OperationResponseBody {
    }
}
