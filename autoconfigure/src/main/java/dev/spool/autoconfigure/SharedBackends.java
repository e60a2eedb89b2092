package dev.spool.autoconfigure;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.spool.autoconfigure.InvalidSpoolConfigurationException.Problem;
import dev.spool.threading.BackendUnavailableException;
import dev.spool.threading.spi.SharedBackend;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.util.ClassUtils;

/**
 * Finds the {@link SharedBackend} a primitive's {@code backend} key names among the context's beans (the spool-redis
 * module contributes {@code redis}), and checks once per backend that it can be reached: so a primitive on an absent
 * or unreachable backend stops start-up at its key, instead of failing at its first use in a request.
 */
final class SharedBackends {

    /** The class whose presence says that the spool-redis module is on the class path. */
    static final String REDIS_MODULE = "dev.spool.redis.SpoolRedisAutoConfiguration";

    private final ListableBeanFactory beanFactory;
    private final Map<String, SharedBackend> checked = new ConcurrentHashMap<>();

    SharedBackends(ListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    /**
     * @param backend the primitive's backend (not local)
     * @param key     the key that chose it: the primitive's {@code backend} key, or {@code spool.backend}
     * @return the backend, reachable now
     * @throws InvalidSpoolConfigurationException naming {@code key} when it is absent or cannot be reached
     */
    SharedBackend get(SpoolProperties.Backend backend, String key) {
        String name = backend.name().toLowerCase(Locale.ROOT);
        SharedBackend found = this.checked.get(name);
        if (found != null) {
            return found;
        }
        List<SharedBackend> all;
        try {
            all = this.beanFactory.getBeanProvider(SharedBackend.class).orderedStream().toList();
        } catch (BeansException failed) {
            // The backend bean is made on first use, with its client (Redisson connects as it starts): a Redis that
            // does not answer fails here, deep in a bean-creation chain that names no Spool key.
            throw problem(key, "is " + name + ", but its backend could not be made: "
                            + NestedExceptionUtils.getMostSpecificCause(failed).getMessage(),
                    "start Redis, or point spring.data.redis.* (Redisson's keys) at a reachable server; or set it"
                            + " to local");
        }
        found = all.stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow(() -> missing(key, name, all));
        try {
            found.check();
        } catch (BackendUnavailableException unreachable) {
            throw problem(key, "is " + name + ", which cannot be reached: " + unreachable.getMessage(),
                    "start Redis, or point spring.data.redis.* (Redisson's keys) at a reachable server; or set it"
                            + " to local");
        }
        this.checked.put(name, found);
        return found;
    }

    private static InvalidSpoolConfigurationException missing(String key, String name, List<SharedBackend> present) {
        if (!ClassUtils.isPresent(REDIS_MODULE, SharedBackends.class.getClassLoader())) {
            return problem(key, "is " + name + ", but the spool-redis module is not on the class path",
                    "add the dependency dev.spool:spool-redis (it brings Redisson's Spring Boot starter; point"
                            + " spring.data.redis.* at your Redis), or set it to local");
        }
        return problem(key, "is " + name + ", but the context has no " + name + " backend (spool-redis makes it from"
                        + " the application's RedissonClient; backends present: "
                        + present.stream().map(SharedBackend::name).toList() + ")",
                "check that spring.autoconfigure.exclude removes neither SpoolRedisAutoConfiguration nor Redisson's"
                        + " auto-configuration, or set it to local");
    }

    private static InvalidSpoolConfigurationException problem(String key, String description, String action) {
        return new InvalidSpoolConfigurationException(List.of(new Problem(key, description, action)));
    }
}
