package dev.spool.autoconfigure;

import java.beans.PropertyDescriptor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.spool.autoconfigure.InvalidSpoolConfigurationException.Problem;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Finds the keys under {@code spool.*} that bind to nothing (a misspelling such as {@code max-worker}, a key of
 * another kind such as {@code spool.locks.l.permits}), each with where it was set and the nearest valid key.
 *
 * <p>The keys Spool knows are read from {@link SpoolProperties} itself (its JavaBean properties, a map's entries as
 * {@code *}), so they cannot drift from what binds. Environment variables are not checked: a shell may hold
 * {@code SPOOL_*} variables that were never meant for this application.
 */
final class UnknownSpoolKeys {

    private static final String PREFIX = "spool";

    /** Every valid key, with {@code *} where a name of one's own goes: {@code spool.executors.*.max-workers}. */
    private static final List<String> VALID = validKeys(PREFIX, SpoolProperties.class);

    private UnknownSpoolKeys() {
    }

    /**
     * @param unbound what the binding of {@code spool.*} left over ({@link SpoolPropertiesBinding})
     * @return each unknown key, in key order
     */
    static List<Unknown> of(UnboundConfigurationPropertiesException unbound) {
        List<Unknown> unknown = new ArrayList<>();
        for (ConfigurationProperty property : unbound.getUnboundProperties()) {
            String key = property.getName().toString();
            unknown.add(new Unknown(key, property.getOrigin() != null ? property.getOrigin().toString() : null,
                    nearest(key)));
        }
        return unknown;
    }

    /** @return whether unknown keys of {@code source} are reported: not of environment variables */
    static boolean checked(ConfigurationPropertySource source) {
        return !(source.getUnderlyingSource() instanceof org.springframework.core.env.PropertySource<?> underlying)
                || !StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME.equals(underlying.getName());
    }

    /**
     * A key under {@code spool.*} that binds to nothing.
     *
     * @param key     the key, as Boot names it ({@code spool.executors.io.max-worker})
     * @param origin  where it was set ({@code class path resource [application.yml] - 4:7}); null if unknown
     * @param nearest the valid key it most likely meant; null when none is near
     */
    record Unknown(String key, @Nullable String origin, @Nullable String nearest) {

        /** @return the start-up problem, for {@code spool.unknown-keys: fail} */
        Problem problem() {
            return new Problem(this.key, "is not a Spool key" + (this.origin != null ? " (" + this.origin + ")" : ""),
                    suggestion() + "remove or rename it, or set spool.unknown-keys: warn to only log unknown keys");
        }

        /** @return the WARN line, for {@code spool.unknown-keys: warn} */
        String warning() {
            return "Spool ignores " + this.key + (this.origin != null ? " (" + this.origin + ")" : "")
                    + ": it is not a Spool key; " + suggestion() + "remove or rename it";
        }

        private String suggestion() {
            return this.nearest != null ? "did you mean `" + this.nearest + "`? " : "";
        }
    }

    /** @return the valid key closest to {@code key}, names of one's own taken from {@code key}; null if none is near */
    static @Nullable String nearest(String key) {
        String[] given = withoutIndexes(key).split("\\.");
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String valid : VALID) {
            String[] template = valid.split("\\.");
            StringBuilder candidate = new StringBuilder();
            for (int i = 0; i < template.length; i++) {
                String element = template[i].equals("*") ? (i < given.length ? given[i] : "<name>") : template[i];
                candidate.append(i == 0 ? "" : ".").append(element);
            }
            int distance = distance(String.join(".", given), candidate.toString());
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate.toString();
            }
        }
        // Near: a few edits, and fewer than half of the last element (so 'foo' does not become 'fair')
        String last = given[given.length - 1];
        return best != null && bestDistance <= Math.min(3, Math.max(1, last.length() / 2)) ? best : null;
    }

    private static String withoutIndexes(String key) {
        return key.replaceAll("\\[[^]]*]", "");
    }

    /** @return the Levenshtein distance of {@code a} and {@code b} */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** @return the keys of {@code type}'s properties under {@code prefix}, nested properties and maps walked */
    static List<String> validKeys(String prefix, Class<?> type) {
        List<String> keys = new ArrayList<>();
        for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
            if (property.getReadMethod() == null || property.getName().equals("class")) {
                continue;
            }
            String key = prefix + "." + kebab(property.getName());
            Type returned = property.getReadMethod().getGenericReturnType();
            Class<?> raw = property.getPropertyType();
            if (Map.class.isAssignableFrom(raw) && returned instanceof ParameterizedType map
                    && map.getActualTypeArguments()[1] instanceof Class<?> value && isNested(value)) {
                keys.addAll(validKeys(key + ".*", value));
            } else if (isNested(raw)) {
                keys.addAll(validKeys(key, raw));
            } else {
                keys.add(key);
            }
        }
        return List.copyOf(keys);
    }

    /** @return whether {@code type} is one of {@link SpoolProperties}'s own groups of keys */
    private static boolean isNested(Class<?> type) {
        for (Class<?> outer = type.getEnclosingClass(); outer != null; outer = outer.getEnclosingClass()) {
            if (outer == SpoolProperties.class) {
                return !type.isEnum();
            }
        }
        return false;
    }

    private static String kebab(String camel) {
        StringBuilder key = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                key.append('-').append(Character.toLowerCase(c));
            } else {
                key.append(c);
            }
        }
        return key.toString();
    }
}
