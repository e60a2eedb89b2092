package dev.spool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanUtils;

/**
 * Keeps {@code docs/configuration.md} and {@link SpoolProperties} in step: the configuration processor's metadata
 * ({@code META-INF/spring-configuration-metadata.json}, generated into this module's classes) is the list of keys,
 * and every one of them must have a row in the reference (a table headed {@code | Key | Type | Default | Meaning |}),
 * every such row must name a real key, and a row states the default the metadata knows.
 *
 * <p>The metadata describes a map of named entries ({@code spool.executors}) as one property whose value type is a
 * class; the keys a user writes are that class's properties under a name, so they are expanded here the way Boot's
 * binder reads them: {@code spool.executors.<name>.max-workers}, and nested objects one level further
 * ({@code spool.executors.<name>.shutdown.await-termination}).
 */
class ConfigurationDocTests {

    private static final String METADATA = "META-INF/spring-configuration-metadata.json";
    private static final Pattern MAP_OF_STRING_TO = Pattern.compile("java\\.util\\.Map<java\\.lang\\.String,\\s*([\\w.$]+)>");
    /** The header of a reference table. */
    private static final String REFERENCE_HEADER = "| Key | Type | Default | Meaning |";
    /** A row of a reference table: {@code | `spool.some.key` | ...}. */
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`(spool\\.[^`]+)`\\s*\\|(.*)$");

    /** Key to the metadata's default value, or null when it has none; in key order. */
    private static Map<String, Object> keys;
    /** Key to the rest of its row in the reference. */
    private static Map<String, String> rows;

    @BeforeAll
    static void readMetadataAndReference() throws Exception {
        keys = documentedKeysOfMetadata();
        rows = rowsOf(reference());
    }

    @Test
    void everyKeyHasARowInTheReference() {
        Set<String> missing = new TreeSet<>(keys.keySet());
        missing.removeAll(rows.keySet());
        assertThat(missing).as("spool.* keys with no row in docs/configuration.md (a row starts with | `the.key` |)")
                .isEmpty();
    }

    @Test
    void everyRowOfTheReferenceNamesARealKey() {
        Set<String> unknown = new TreeSet<>(rows.keySet());
        unknown.removeAll(keys.keySet());
        assertThat(unknown).as("rows of docs/configuration.md whose key SpoolProperties does not have").isEmpty();
    }

    @Test
    void aRowStatesTheDefaultTheMetadataKnows() {
        List<String> wrong = new ArrayList<>();
        keys.forEach((key, value) -> {
            String row = rows.get(key);
            if (value != null && row != null && !defaultCell(row).contains("`" + value + "`")) {
                wrong.add(key + " (metadata default `" + value + "`): " + row);
            }
        });
        assertThat(wrong).as("rows whose default differs from the configuration metadata").isEmpty();
    }

    @Test
    void namedEntriesAreExpandedToTheKeysAUserWrites() {
        assertThat(keys).containsKeys("spool.executors.<name>.max-workers",
                "spool.executors.<name>.shutdown.await-termination", "spool.locks.<name>.reentrant",
                "spool.conditions.<name>.lock", "spool.health.saturation-threshold");
        assertThat(keys).doesNotContainKeys("spool.executors", "spool.executors.<name>.shutdown");
    }

    /** Every key a user can write, from the metadata of this module, with the metadata's default if it has one. */
    static Map<String, Object> documentedKeysOfMetadata() throws Exception {
        Map<String, Object> found = new TreeMap<>();
        List<URL> resources = Collections.list(ConfigurationDocTests.class.getClassLoader().getResources(METADATA));
        for (URL resource : resources) {
            String json;
            try (InputStream in = resource.openStream()) {
                json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            List<Map<String, Object>> properties = JsonPath.read(json, "$.properties[*]");
            for (Map<String, Object> property : properties) {
                String name = (String) property.get("name");
                String source = (String) property.get("sourceType");
                if (!name.startsWith("spool.") || source == null || !source.startsWith("dev.spool.")) {
                    continue;
                }
                Matcher map = MAP_OF_STRING_TO.matcher(String.valueOf(property.get("type")));
                if (map.matches()) {
                    expand(name + ".<name>", Class.forName(map.group(1)), found);
                } else {
                    found.put(name, property.get("defaultValue"));
                }
            }
        }
        assertThat(found).as("spool.* properties in " + METADATA + " on the class path (built by the configuration "
                + "processor from SpoolProperties: compile the module first)").isNotEmpty();
        return found;
    }

    /** The bindable properties of {@code type} under {@code prefix}: leaves have a setter, nested objects a getter. */
    private static void expand(String prefix, Class<?> type, Map<String, Object> found) {
        for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
            Class<?> propertyType = descriptor.getPropertyType();
            if (propertyType == null || descriptor.getName().equals("class")) {
                continue;
            }
            String key = prefix + "." + kebab(descriptor.getName());
            if (isLeaf(propertyType)) {
                if (descriptor.getWriteMethod() != null) {
                    found.put(key, null);
                }
            } else if (descriptor.getReadMethod() != null) {
                expand(key, propertyType, found);
            }
        }
    }

    private static boolean isLeaf(Class<?> type) {
        return type.isPrimitive() || type.isEnum() || type.isArray() || type.getName().startsWith("java.");
    }

    private static String kebab(String camel) {
        StringBuilder kebab = new StringBuilder(camel.length() + 4);
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                kebab.append('-').append(Character.toLowerCase(c));
            } else {
                kebab.append(c);
            }
        }
        return kebab.toString();
    }

    /** The Default cell of a row's rest ({@code type | default | meaning |}); {@code \|} inside a cell is no border. */
    private static String defaultCell(String rest) {
        String[] cells = rest.split("(?<!\\\\)\\|");
        return cells.length > 1 ? cells[1] : "";
    }

    /** {@code docs/configuration.md}, found from this module's directory. */
    private static Path reference() {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        Path doc = module.resolve("../docs/configuration.md").normalize();
        assertThat(doc).as("the configuration reference, next to this module").isRegularFile();
        return doc;
    }

    /** The rows of the reference tables: those whose header is {@value #REFERENCE_HEADER}. */
    private static Map<String, String> rowsOf(Path doc) throws IOException {
        Map<String, String> found = new TreeMap<>();
        String header = null;
        for (String line : Files.readAllLines(doc, StandardCharsets.UTF_8)) {
            String text = line.strip();
            if (!text.startsWith("|")) {
                header = null;
                continue;
            }
            if (header == null) {
                header = text.replaceAll("\\s+", " ");
                continue;
            }
            Matcher row = ROW.matcher(text);
            if (header.equals(REFERENCE_HEADER) && row.matches()) {
                String previous = found.put(row.group(1), row.group(2));
                assertThat(previous).as("a second row for " + row.group(1)).isNull();
            }
        }
        assertThat(found).as("rows of tables headed " + REFERENCE_HEADER + " in " + doc).isNotEmpty();
        return found;
    }
}
