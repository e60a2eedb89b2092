package dev.spool.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.redisson.client.RedisConnectionException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * Explains a start-up stopped by Redisson's client, which connects as it is created: when Redis does not answer,
 * the failure is a {@link RedisConnectionException} deep in a bean-creation chain. The analysis names the
 * {@code spool.*} keys that put primitives on Redis, and the address keys to check. (When the first Redis-backed
 * primitive is what asks for the client, the Spool starter reports the same at that primitive's key; this covers the
 * order in which Redisson's client is created first.)
 */
final class RedisUnreachableFailureAnalyzer extends AbstractFailureAnalyzer<RedisConnectionException> {
    private static final Pattern BACKEND_KEY = Pattern.compile(
            "spool\\.(backend|(locks|semaphores|events)\\.[^.]+\\.backend)");

    private final Environment environment;

    RedisUnreachableFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, RedisConnectionException cause) {
        List<String> keys = redisKeys();
        String address = this.environment.getProperty("spring.data.redis.host", "localhost") + ":"
                + this.environment.getProperty("spring.data.redis.port", "6379");
        String users = keys.isEmpty() ? "" : " Spool keeps primitives there: " + String.join(", ", keys) + " = redis.";
        return new FailureAnalysis("Redisson could not connect to Redis (spring.data.redis.* gives " + address
                + "): " + cause.getMessage() + "." + users,
                "Start Redis there, or point spring.data.redis.host and spring.data.redis.port (or Redisson's"
                        + " spring.redis.redisson.config) at a reachable server"
                        + (keys.isEmpty() ? "." : "; or set " + String.join(", ", keys) + " to local."),
                cause);
    }

    /** @return the {@code spool.*} backend keys set to redis, in any property source */
    private List<String> redisKeys() {
        TreeSet<String> keys = new TreeSet<>();
        if (this.environment instanceof ConfigurableEnvironment configurable) {
            for (PropertySource<?> source : configurable.getPropertySources()) {
                if (source instanceof EnumerablePropertySource<?> enumerable) {
                    for (String key : enumerable.getPropertyNames()) {
                        if (BACKEND_KEY.matcher(key).matches() && "redis".equals(String.valueOf(
                                this.environment.getProperty(key)).trim().toLowerCase(Locale.ROOT))) {
                            keys.add(key);
                        }
                    }
                }
            }
        }
        return new ArrayList<>(keys);
    }
}
