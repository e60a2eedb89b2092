package dev.spool.futures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tasks whose classes come from a class loader other than the system class path (issue 13 point 4: exec:java,
 * DevTools, a test runner's own loader): the workers get the class path of the pool's URL class loaders, and a class
 * they cannot reach is refused at submit with a message that names it, its loader and what to do.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProcessPoolClassLoaderTest {
    private static final String SOURCE = """
            package loaded;

            public class Greeting implements dev.spool.futures.SerializableCallable<String> {
                @Override
                public String call() {
                    return "hello from pid " + ProcessHandle.current().pid();
                }
            }
            """;

    @TempDir
    static Path classes;
    static URLClassLoader loader;

    /** Compiles {@code loaded.Greeting} into a temporary directory that is on no class path. */
    @BeforeAll
    static void compile() throws IOException {
        Path source = classes.resolve("src/loaded/Greeting.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, SOURCE);
        Path out = Files.createDirectories(classes.resolve("out"));
        String spool = Path.of(toUri(SerializableCallable.class.getProtectionDomain().getCodeSource().getLocation()))
                .toString();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "--release", "21", "-classpath", spool, "-d", out.toString(),
                source.toString());
        assertThat(status).as("javac exit status").isZero();
        loader = new URLClassLoader("test-tasks", new URL[] {out.toUri().toURL()},
                ProcessPoolClassLoaderTest.class.getClassLoader());
    }

    private static java.net.URI toUri(URL url) {
        try {
            return url.toURI();
        } catch (java.net.URISyntaxException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    @SuppressWarnings("unchecked")
    private static Callable<String> greeting() throws ReflectiveOperationException {
        return (Callable<String>) loader.loadClass("loaded.Greeting").getConstructor().newInstance();
    }

    @Test
    void aTaskFromAUrlClassLoaderRunsWhenThePoolIsBuiltWithIt() throws Exception {
        Callable<String> task = greeting();
        try (ProcessPool pool = ProcessPool.builder().name("url-loader").maxWorkers(1).classLoader(loader).build()) {
            String answer = pool.submit(task).result();
            assertThat(answer).startsWith("hello from pid ")
                    .isNotEqualTo("hello from pid " + ProcessHandle.current().pid());
        }
    }

    @Test
    void theBuildingThreadsContextClassLoaderCountsToo() throws Exception {
        Callable<String> task = greeting();
        Thread self = Thread.currentThread();
        ClassLoader previous = self.getContextClassLoader();
        self.setContextClassLoader(loader);
        ProcessPool pool;
        try {
            pool = ProcessPool.builder().name("context-loader").maxWorkers(1).build();
        } finally {
            self.setContextClassLoader(previous);
        }
        try (pool) {
            assertThat(pool.submit(task).result()).startsWith("hello from pid ");
        }
    }

    @Test
    void aTaskTheWorkersCannotLoadIsRefusedAtSubmitNamingItsClassLoader() throws Exception {
        Callable<String> task = greeting();
        try (ProcessPool pool = ProcessPool.builder().name("system-only").maxWorkers(1)
                .classLoader(ProcessPoolClassLoaderTest.class.getClassLoader()).build()) {
            TaskFuture<String> future = pool.submit(task);
            assertThat(future.done()).as("failed at submit, nothing sent").isTrue();
            assertThat(future.exception()).isInstanceOf(UnreachableClassException.class)
                    .hasMessageContaining("loaded.Greeting")
                    .hasMessageContaining("test-tasks")
                    .hasMessageContaining("ProcessPool.Builder.classLoader");
            UnreachableClassException unreachable = (UnreachableClassException) future.exception();
            assertThat(unreachable.className()).isEqualTo("loaded.Greeting");
            assertThat(unreachable.classLoader()).contains("test-tasks");
            assertThatThrownBy(() -> pool.execute(() -> { }))
                    .as("a plain lambda is refused as not serializable").isInstanceOf(RejectedExecutionException.class);
            assertThat(pool.workers()).as("no worker was needed to find out").isEmpty();
        }
    }

    @Test
    void aCapturedValueTheWorkersCannotLoadIsRefusedToo() throws Exception {
        Callable<String> inner = greeting();
        try (ProcessPool pool = ProcessPool.builder().name("captured").maxWorkers(1)
                .classLoader(ProcessPoolClassLoaderTest.class.getClassLoader()).build()) {
            TaskFuture<Integer> future = pool.submit(() -> inner.hashCode());
            assertThat(future.exception()).isInstanceOf(UnreachableClassException.class)
                    .hasMessageContaining("loaded.Greeting");
            assertThatThrownBy(() -> pool.execute((SerializableRunnable) () -> inner.hashCode()))
                    .isInstanceOf(RejectedExecutionException.class).hasCauseInstanceOf(UnreachableClassException.class);
            assertThat(List.of(pool.stats().state())).containsExactly(ExecutorState.RUNNING);
        }
    }
}
