package dev.spool.process;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The command line that starts a worker JVM, in one of three modes:
 *
 * <ul>
 *   <li>{@link Mode#CLASS_PATH}: {@code java <options> -cp <the parent's class path, absolutized> WorkerMain}, the
 *       class path moved into an {@code @argfile} when the line would be long. The class path is
 *       {@code java.class.path} followed by the directories and jars of the application's URL class loaders
 *       ({@link WorkerClassPath}). This covers IDEs, tests, {@code mvn exec:java}, DevTools, exploded and extracted
 *       Spring Boot layouts.</li>
 *   <li>{@link Mode#BOOT_JAR}: the parent runs from a Spring Boot executable jar, whose classes a plain
 *       {@code -cp app.jar} cannot see: {@code java <options> -cp app.jar -Dloader.main=WorkerMain
 *       org.springframework.boot.loader.launch.PropertiesLauncher}. Detected when the application class loader is
 *       Boot's {@code LaunchedClassLoader}, or the class path is one jar whose manifest has
 *       {@code Spring-Boot-Version}. Unless the parent itself was configured through {@code loader.*} properties,
 *       {@code loader.config.location} points at a file that does not exist, so that a stray
 *       {@code loader.properties} in the working directory cannot change what the worker loads.</li>
 *   <li>{@link Mode#CUSTOM}: the user's own command, used as given (it must end up running {@link WorkerMain}
 *       on this host with the application's classes; the pool adds nothing to it).</li>
 * </ul>
 *
 * @param mode      how the command was chosen
 * @param arguments the command line
 * @param argFile   the content of the {@code @argfile} the command refers to, or null when there is none
 * @param argFileName where the command expects the argfile (inside the pool's private directory), or null
 */
record WorkerCommand(Mode mode, List<String> arguments, String argFile, Path argFileName) {

    /** The worker's main class. */
    public static final String WORKER_MAIN = WorkerMain.class.getName();
    /** Spring Boot 3.2+ launcher package. */
    static final String BOOT_LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";
    static final String BOOT_LOADER = "org.springframework.boot.loader.launch.LaunchedClassLoader";
    /** Spring Boot up to 3.1. */
    static final String LEGACY_BOOT_LAUNCHER = "org.springframework.boot.loader.PropertiesLauncher";
    static final String LEGACY_BOOT_LOADER = "org.springframework.boot.loader.LaunchedURLClassLoader";
    /** Above this many characters of class path, it goes into an argfile. */
    static final int ARGFILE_THRESHOLD = 4000;

    /** How a command was chosen. */
    public enum Mode { CLASS_PATH, BOOT_JAR, CUSTOM }

    public WorkerCommand {
        arguments = List.copyOf(arguments);
    }

    /**
     * What the parent JVM looks like, as far as launching a worker goes.
     *
     * @param classPath        {@code java.class.path}
     * @param userDir          {@code user.dir}, for relative class path entries
     * @param loaderClassNames the class names of the application's class loader and its parents
     * @param loaderProperties the parent's {@code loader.*} system properties (Spring Boot's PropertiesLauncher)
     * @param loaderClassPath  absolute class path entries of the application's URL class loaders that are not on
     *                         {@code java.class.path} ({@link WorkerClassPath#loaderEntries()}), added after it
     */
    public record Parent(String classPath, Path userDir, List<String> loaderClassNames,
                         Map<String, String> loaderProperties, List<String> loaderClassPath) {
        public Parent {
            Objects.requireNonNull(classPath, "classPath");
            Objects.requireNonNull(userDir, "userDir");
            loaderClassNames = List.copyOf(loaderClassNames);
            loaderProperties = Map.copyOf(loaderProperties);
            loaderClassPath = List.copyOf(loaderClassPath);
        }

        /** A parent whose classes all come from {@code java.class.path}. */
        public Parent(String classPath, Path userDir, List<String> loaderClassNames,
                      Map<String, String> loaderProperties) {
            this(classPath, userDir, loaderClassNames, loaderProperties, List.of());
        }

        /** @return this JVM, with {@code loader} as the application's class loader and no URL loader entries */
        public static Parent current(ClassLoader loader) {
            return current(loader, List.of());
        }

        /**
         * @param loader          the application's class loader
         * @param loaderClassPath the entries of its URL class loaders ({@link WorkerClassPath#loaderEntries()})
         * @return this JVM
         */
        public static Parent current(ClassLoader loader, List<String> loaderClassPath) {
            List<String> names = new ArrayList<>();
            for (ClassLoader l = loader; l != null; l = l.getParent()) {
                names.add(l.getClass().getName());
            }
            Map<String, String> loaderProperties = new TreeMap<>();
            for (String key : System.getProperties().stringPropertyNames()) {
                if (key.startsWith("loader.")) {
                    loaderProperties.put(key, System.getProperty(key));
                }
            }
            return new Parent(System.getProperty("java.class.path", ""), Path.of(System.getProperty("user.dir", ".")),
                    names, loaderProperties, loaderClassPath);
        }
    }

    /**
     * @param java       the java executable
     * @param jvmOptions options placed before the class path
     * @param custom     the user's command, or null
     * @param parent     what the parent looks like
     * @param privateDir the pool's private directory, where an argfile would go
     * @return the command
     */
    public static WorkerCommand plan(Path java, List<String> jvmOptions, List<String> custom, Parent parent,
                                     Path privateDir) {
        if (custom != null) {
            return new WorkerCommand(Mode.CUSTOM, custom, null, null);
        }
        List<String> classPath = absolutize(parent.classPath(), parent.userDir());
        String launcher = bootLauncher(parent, classPath);
        if (launcher == null) { // a Boot jar's launcher finds its classes itself; elsewhere, add the URL loaders'
            List<String> combined = new ArrayList<>(classPath);
            for (String entry : parent.loaderClassPath()) {
                if (!combined.contains(entry)) {
                    combined.add(entry);
                }
            }
            classPath = combined;
        }
        String joined = String.join(File.pathSeparator, classPath);
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmOptions);
        String argFile = null;
        Path argFileName = null;
        if (joined.length() > ARGFILE_THRESHOLD) {
            argFileName = privateDir.resolve("worker.args");
            argFile = "-cp\n" + quote(joined) + "\n";
            command.add("@" + argFileName);
        } else {
            command.add("-cp");
            command.add(joined);
        }
        if (launcher == null) {
            command.add(WORKER_MAIN);
            return new WorkerCommand(Mode.CLASS_PATH, command, argFile, argFileName);
        }
        command.add("-Dloader.main=" + WORKER_MAIN);
        Map<String, String> loader = parent.loaderProperties();
        boolean configured = loader.containsKey("loader.config.location") || loader.containsKey("loader.config.name")
                || loader.containsKey("loader.path") || loader.containsKey("loader.home");
        if (configured || launchedByPropertiesLauncher(classPath)) {
            for (Map.Entry<String, String> property : new TreeMap<>(loader).entrySet()) {
                if (!property.getKey().equals("loader.main") && !property.getKey().equals("loader.args")) {
                    command.add("-D" + property.getKey() + "=" + property.getValue());
                }
            }
        } else {
            command.add("-Dloader.config.location=" + privateDir.resolve("no-loader.properties"));
        }
        command.add(launcher);
        return new WorkerCommand(Mode.BOOT_JAR, command, argFile, argFileName);
    }

    /** Writes the argfile, if the command has one. */
    public void writeArgFile() throws IOException {
        if (argFile != null) {
            Files.writeString(argFileName, argFile, StandardCharsets.UTF_8);
        }
    }

    /** The launcher class for a Spring Boot fat jar parent, or null when the parent is not one. */
    static String bootLauncher(Parent parent, List<String> classPath) {
        for (String name : parent.loaderClassNames()) {
            if (name.equals(BOOT_LOADER)) {
                return BOOT_LAUNCHER;
            }
            if (name.equals(LEGACY_BOOT_LOADER)) {
                return LEGACY_BOOT_LAUNCHER;
            }
        }
        if (classPath.size() == 1 && classPath.get(0).endsWith(".jar")) {
            Manifest manifest = manifest(classPath.get(0));
            if (manifest != null && manifest.getMainAttributes().getValue("Spring-Boot-Version") != null) {
                String main = manifest.getMainAttributes().getValue("Main-Class");
                return main != null && main.startsWith("org.springframework.boot.loader.")
                        && !main.startsWith("org.springframework.boot.loader.launch.") ? LEGACY_BOOT_LAUNCHER : BOOT_LAUNCHER;
            }
        }
        return null;
    }

    private static boolean launchedByPropertiesLauncher(List<String> classPath) {
        if (classPath.size() != 1) {
            return false;
        }
        Manifest manifest = manifest(classPath.get(0));
        String main = manifest == null ? null : manifest.getMainAttributes().getValue("Main-Class");
        return BOOT_LAUNCHER.equals(main) || LEGACY_BOOT_LAUNCHER.equals(main);
    }

    private static Manifest manifest(String jar) {
        try (JarFile file = new JarFile(jar)) {
            return file.getManifest();
        } catch (IOException | SecurityException notAJar) {
            return null;
        }
    }

    /** Makes every class path entry absolute ({@code lib/*} stays a wildcard); an empty entry means user.dir. */
    static List<String> absolutize(String classPath, Path userDir) {
        List<String> entries = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator, -1)) {
            if (entry.isEmpty()) {
                entries.add(userDir.toAbsolutePath().normalize().toString());
                continue;
            }
            boolean wildcard = entry.equals("*") || entry.endsWith(File.separator + "*") || entry.endsWith("/*");
            String base = wildcard ? entry.substring(0, entry.length() - 1) : entry;
            try {
                Path path = userDir.resolve(base.isEmpty() ? "." : base).toAbsolutePath().normalize();
                entries.add(wildcard ? path + File.separator + "*" : path.toString());
            } catch (InvalidPathException odd) {
                entries.add(entry);
            }
        }
        return entries;
    }

    /** Quotes an argfile argument: in quotes, a backslash escapes the next character. */
    static String quote(String argument) {
        StringBuilder quoted = new StringBuilder(argument.length() + 16).append('"');
        for (int i = 0; i < argument.length(); i++) {
            char c = argument.charAt(i);
            if (c == '\\' || c == '"') {
                quoted.append('\\');
            }
            quoted.append(c);
        }
        return quoted.append('"').toString();
    }
}
