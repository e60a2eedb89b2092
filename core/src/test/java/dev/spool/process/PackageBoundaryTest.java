package dev.spool.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The process package owns its wire (issue 14): read from the compiled classes, so that what counts is what the
 * code uses, not what its comments mention. The package reaches into {@code dev.spool.futures} for the one type
 * that travels on the wire, and shows {@code dev.spool.futures.ProcessPool} only its entry point, the {@link Job}
 * its futures implement, and the worker's main class.
 */
class PackageBoundaryTest {
    private static final Pattern FUTURES_TYPE = Pattern.compile("dev/spool/futures/[A-Za-z0-9_$]+");

    @Test
    void theProcessPackageUsesNothingOfFuturesButTheExceptionThatTravelsOnTheWire() throws IOException {
        Set<String> used = new TreeSet<>();
        for (Path file : compiledClasses()) {
            for (String text : utf8Constants(file)) {
                Matcher type = FUTURES_TYPE.matcher(text);
                while (type.find()) {
                    used.add(type.group().replace('/', '.'));
                }
            }
        }
        assertThat(used).containsExactly("dev.spool.futures.RemoteTaskException");
    }

    @Test
    void itsOnlyPublicTypesAreTheEngineItsVocabularyTheJobAndTheWorkersMain() throws Exception {
        Set<String> visible = new TreeSet<>();
        for (Path file : compiledClasses()) {
            String name = "dev.spool.process." + file.getFileName().toString().replace(".class", "");
            Class<?> type = Class.forName(name, false, getClass().getClassLoader());
            if (accessibleFromOutside(type)) {
                visible.add(type.getName().substring("dev.spool.process.".length()));
            }
        }
        assertThat(visible).containsExactlyInAnyOrder("ProcessEngine", "ProcessEngine$Settings",
                "ProcessEngine$Events", "ProcessEngine$StartReason", "ProcessEngine$ExitCause",
                "ProcessEngine$WorkerState", "ProcessEngine$WorkerView", "ProcessEngine$Broken",
                "ProcessEngine$Task", "ProcessEngine$MapFunction", "Job", "WorkerMain");
    }

    /**
     * The published Javadoc leaves out {@code dev.spool.process} and {@code dev.spool.internal} (the parent pom's
     * {@code excludePackageNames}): they are public only because the facade lives in another package. That is honest
     * only while no public or protected member of an API type mentions one of their types, which this checks on the
     * compiled classes: every signature (types, fields, constructors, methods, generic ones included) of every type
     * an application can reach in the API packages.
     */
    @Test
    void noApiSignatureMentionsAnInternalType() throws Exception {
        List<String> leaks = new ArrayList<>();
        for (String api : List.of("futures", "threading", "metrics", "stats")) {
            for (Path file : compiledClasses("dev/spool/" + api)) {
                String name = "dev.spool." + api + "." + file.getFileName().toString().replace(".class", "");
                Class<?> type = Class.forName(name, false, getClass().getClassLoader());
                if (!accessibleFromOutside(type)) {
                    continue;
                }
                List<String> signatures = new ArrayList<>();
                signatures.add(type.toGenericString());
                if (type.getGenericSuperclass() != null) {
                    signatures.add(type.getGenericSuperclass().getTypeName());
                }
                for (java.lang.reflect.Type i : type.getGenericInterfaces()) {
                    signatures.add(i.getTypeName());
                }
                for (java.lang.reflect.Field f : type.getDeclaredFields()) {
                    if (visibleToSubclassesOrAll(f.getModifiers())) {
                        signatures.add(f.toGenericString());
                    }
                }
                for (java.lang.reflect.Constructor<?> c : type.getDeclaredConstructors()) {
                    if (visibleToSubclassesOrAll(c.getModifiers())) {
                        signatures.add(c.toGenericString());
                    }
                }
                for (java.lang.reflect.Method m : type.getDeclaredMethods()) {
                    if (visibleToSubclassesOrAll(m.getModifiers()) && !m.isSynthetic()) {
                        signatures.add(m.toGenericString());
                    }
                }
                for (String signature : signatures) {
                    if (signature.contains("dev.spool.process.") || signature.contains("dev.spool.internal.")) {
                        leaks.add(name + ": " + signature);
                    }
                }
            }
        }
        assertThat(leaks).as("API signatures that name an internal type").isEmpty();
    }

    private static boolean visibleToSubclassesOrAll(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    /** Public, and every class around it public too. */
    private static boolean accessibleFromOutside(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            if (!Modifier.isPublic(t.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static List<Path> compiledClasses() throws IOException {
        List<Path> classes = compiledClasses("dev/spool/process");
        assertThat(classes).as("compiled classes of dev.spool.process").hasSizeGreaterThan(10);
        return classes;
    }

    private static List<Path> compiledClasses(String packageDirectory) throws IOException {
        Path root;
        try {
            root = Path.of(ProcessEngine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException impossible) {
            throw new IOException(impossible);
        }
        try (Stream<Path> files = Files.list(root.resolve(packageDirectory))) {
            return files.filter(f -> f.toString().endsWith(".class"))
                    .filter(f -> !f.getFileName().toString().equals("package-info.class")).sorted().toList();
        }
    }

    /** The UTF-8 entries of a class file's constant pool: every class, descriptor and string it refers to. */
    private static List<String> utf8Constants(Path classFile) throws IOException {
        List<String> texts = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(classFile); DataInputStream in = new DataInputStream(raw)) {
            if (in.readInt() != 0xCAFEBABE) {
                throw new IOException(classFile + " is not a class file");
            }
            in.readUnsignedShort(); // minor
            in.readUnsignedShort(); // major
            int count = in.readUnsignedShort();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> texts.add(in.readUTF());
                    case 7, 8, 16, 19, 20 -> in.skipBytes(2);
                    case 15 -> in.skipBytes(3);
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
                    case 5, 6 -> {
                        in.skipBytes(8);
                        i++; // a long or double takes two entries
                    }
                    default -> throw new IOException("unknown constant pool tag " + tag + " in " + classFile);
                }
            }
        }
        return texts;
    }
}
