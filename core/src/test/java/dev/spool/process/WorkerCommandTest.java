package dev.spool.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The command lines that start workers: class path, @argfile, Spring Boot jar, custom. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WorkerCommandTest {
    private static final Path JAVA = Path.of("/opt/jdk/bin/java");
    private static final List<String> OPTIONS = List.of("-Xmx64m");
    private static final List<String> APP_LOADER = List.of("jdk.internal.loader.ClassLoaders$AppClassLoader",
            "jdk.internal.loader.ClassLoaders$PlatformClassLoader");

    @TempDir
    Path dir;

    private static Path jar(Path where, String mainClass, boolean boot) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        if (boot) {
            manifest.getMainAttributes().putValue("Spring-Boot-Version", "4.1.2");
            manifest.getMainAttributes().putValue("Start-Class", "com.example.App");
        }
        try (OutputStream out = Files.newOutputStream(where); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
        return where;
    }

    @Test
    void theEntriesOfTheApplicationsUrlClassLoadersFollowTheClassPath() {
        WorkerCommand.Parent parent = new WorkerCommand.Parent("/app/boot.jar", Path.of("/home/app"), APP_LOADER,
                Map.of(), List.of("/home/app/target/classes", "/app/boot.jar", "/m2/lib.jar"));
        WorkerCommand command = WorkerCommand.plan(JAVA, OPTIONS, null, parent, dir);
        assertThat(command.mode()).isEqualTo(WorkerCommand.Mode.CLASS_PATH);
        assertThat(command.arguments()).containsExactly(JAVA.toString(), "-Xmx64m", "-cp",
                String.join(File.pathSeparator, "/app/boot.jar", "/home/app/target/classes", "/m2/lib.jar"),
                "dev.spool.process.WorkerMain");
    }

    @Test
    void aUrlClassLoaderThatExposesItsFilesIsSeenAsTheWorkersClassPath(@TempDir Path extra) throws Exception {
        java.net.URL[] urls = {extra.toUri().toURL(), java.net.URI.create("http://example.invalid/x.jar").toURL()};
        try (java.net.URLClassLoader files = new java.net.URLClassLoader(new java.net.URL[] {extra.toUri().toURL()},
                ClassLoader.getSystemClassLoader());
             java.net.URLClassLoader mixed = new java.net.URLClassLoader(urls, ClassLoader.getSystemClassLoader())) {
            WorkerClassPath onlyFiles = WorkerClassPath.of("", Path.of("/home/app"), files);
            assertThat(onlyFiles.loaderEntries()).containsExactly(extra.toAbsolutePath().normalize().toString());
            WorkerClassPath withRemote = WorkerClassPath.of("", Path.of("/home/app"), mixed);
            assertThat(withRemote.reaches(String.class)).isTrue();
            assertThat(withRemote.reaches(WorkerCommandTest.class)).as("the system class path").isTrue();
            assertThat(withRemote.reaches(int[][].class)).isTrue();
        }
    }

    @Test
    void aPlainClassPathIsAbsolutized() {
        WorkerCommand.Parent parent = new WorkerCommand.Parent("classes" + File.pathSeparator + "lib/*"
                + File.pathSeparator + "/abs/x.jar", Path.of("/home/app"), APP_LOADER, Map.of());
        WorkerCommand command = WorkerCommand.plan(JAVA, OPTIONS, null, parent, dir);
        assertThat(command.mode()).isEqualTo(WorkerCommand.Mode.CLASS_PATH);
        assertThat(command.arguments()).containsExactly(JAVA.toString(), "-Xmx64m", "-cp",
                "/home/app/classes" + File.pathSeparator + "/home/app/lib/*" + File.pathSeparator + "/abs/x.jar",
                "dev.spool.process.WorkerMain");
        assertThat(command.argFile()).isNull();
    }

    @Test
    void aLongClassPathGoesIntoAnArgFileThatJavaReads() throws Exception {
        Path odd = Files.createDirectories(dir.resolve("with space and \\ backslash"));
        Path classes = Path.of(PrintClassPath.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> entries = new ArrayList<>();
        entries.add(odd.toString());
        for (int i = 0; i < 200; i++) {
            entries.add(dir.resolve("missing-" + i + ".jar").toString());
        }
        entries.add(classes.toString());
        String java = ProcessHandle.current().info().command().orElseThrow();
        WorkerCommand command = WorkerCommand.plan(Path.of(java), List.of(), null,
                new WorkerCommand.Parent(String.join(File.pathSeparator, entries), dir, APP_LOADER, Map.of()), dir);
        assertThat(command.argFile()).isNotNull();
        assertThat(String.join(" ", command.arguments())).hasSizeLessThan(1000).contains("@" + dir.resolve("worker.args"));
        command.writeArgFile();

        List<String> run = new ArrayList<>(command.arguments());
        run.set(run.size() - 1, PrintClassPath.class.getName()); // same line, a main that prints its class path
        Process process = new ProcessBuilder(run).redirectErrorStream(true).start();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(printed).isZero();
        assertThat(printed.split(File.pathSeparator)).contains(odd.toString(), classes.toString()).hasSize(202);
    }

    @Test
    void aSpringBootFatJarIsLaunchedThroughPropertiesLauncher() throws IOException {
        Path app = jar(dir.resolve("app.jar"), "org.springframework.boot.loader.launch.JarLauncher", true);
        WorkerCommand command = WorkerCommand.plan(JAVA, OPTIONS, null,
                new WorkerCommand.Parent("app.jar", dir, APP_LOADER, Map.of()), dir);
        assertThat(command.mode()).isEqualTo(WorkerCommand.Mode.BOOT_JAR);
        assertThat(command.arguments()).containsExactly(JAVA.toString(), "-Xmx64m", "-cp", app.toString(),
                "-Dloader.main=dev.spool.process.WorkerMain",
                "-Dloader.config.location=" + dir.resolve("no-loader.properties"),
                "org.springframework.boot.loader.launch.PropertiesLauncher");
        assertThat(dir.resolve("no-loader.properties")).doesNotExist();
    }

    @Test
    void bootsLaunchedClassLoaderIsRecognizedToo() {
        WorkerCommand command = WorkerCommand.plan(JAVA, OPTIONS, null, new WorkerCommand.Parent("/srv/app.jar", dir,
                List.of("org.springframework.boot.loader.launch.LaunchedClassLoader",
                        "jdk.internal.loader.ClassLoaders$AppClassLoader"), Map.of()), dir);
        assertThat(command.mode()).isEqualTo(WorkerCommand.Mode.BOOT_JAR);
        assertThat(command.arguments()).last().isEqualTo("org.springframework.boot.loader.launch.PropertiesLauncher");

        WorkerCommand legacy = WorkerCommand.plan(JAVA, OPTIONS, null, new WorkerCommand.Parent("/srv/app.jar", dir,
                List.of("org.springframework.boot.loader.LaunchedURLClassLoader"), Map.of()), dir);
        assertThat(legacy.arguments()).last().isEqualTo("org.springframework.boot.loader.PropertiesLauncher");
    }

    @Test
    void aParentConfiguredThroughLoaderPropertiesPassesThemOn() throws IOException {
        Path app = jar(dir.resolve("app.jar"), "org.springframework.boot.loader.launch.PropertiesLauncher", true);
        WorkerCommand command = WorkerCommand.plan(JAVA, OPTIONS, null, new WorkerCommand.Parent(app.toString(), dir,
                APP_LOADER, Map.of("loader.path", "lib/", "loader.main", "com.example.App")), dir);
        assertThat(command.arguments()).contains("-Dloader.path=lib/", "-Dloader.main=dev.spool.process.WorkerMain")
                .doesNotContain("-Dloader.main=com.example.App")
                .noneMatch(argument -> argument.startsWith("-Dloader.config.location"));
    }

    @Test
    void aJarThatIsNotABootJarIsAPlainClassPath() throws IOException {
        Path plain = jar(dir.resolve("plain.jar"), "com.example.Main", false);
        WorkerCommand command = WorkerCommand.plan(JAVA, OPTIONS, null,
                new WorkerCommand.Parent(plain.toString(), dir, APP_LOADER, Map.of()), dir);
        assertThat(command.mode()).isEqualTo(WorkerCommand.Mode.CLASS_PATH);
    }

    @Test
    void aCustomCommandIsUsedAsGiven() {
        List<String> custom = List.of("docker", "exec", "-i", "box", "java", "dev.spool.process.WorkerMain");
        WorkerCommand command = WorkerCommand.plan(JAVA, OPTIONS, custom,
                new WorkerCommand.Parent("x", dir, APP_LOADER, Map.of()), dir);
        assertThat(command.mode()).isEqualTo(WorkerCommand.Mode.CUSTOM);
        assertThat(command.arguments()).isEqualTo(custom);
    }

    /** Prints its class path; stands in for WorkerMain when checking an argfile. */
    public static final class PrintClassPath {
        public static void main(String[] args) {
            System.out.println(System.getProperty("java.class.path"));
        }
    }
}
