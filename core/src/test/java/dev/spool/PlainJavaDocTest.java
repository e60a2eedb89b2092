package dev.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.spool.futures.Futures;

/**
 * The program of docs/plain-java.md is the one a reader copies: its only Java block is compiled as it stands against
 * spool-core's classes alone and run in a JVM of its own, and prints what the page says it prints.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PlainJavaDocTest {

    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern PUBLIC_CLASS = Pattern.compile("^public class (\\w+)", Pattern.MULTILINE);

    @Test
    void theProgramOnThePageCompilesAndRunsAsItSays(@TempDir Path work) throws Exception {
        String source = onlyJavaBlock(page());
        Matcher publicClass = PUBLIC_CLASS.matcher(source);
        assertThat(publicClass.find()).as("a public class in the Java block").isTrue();
        Path file = Files.writeString(work.resolve(publicClass.group(1) + ".java"), source);
        String spoolCore = Path.of(Futures.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        boolean compiled = javac.getTask(diagnostics, null, null,
                List.of("--release", "21", "-cp", spoolCore, "-d", work.toString()), null,
                javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(file)).call();
        assertThat(compiled).as("javac on the page's program: " + diagnostics).isTrue();

        Process run = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", work + java.io.File.pathSeparator + spoolCore, publicClass.group(1))
                .redirectErrorStream(true).start();
        run.getOutputStream().close();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("the program ends").isTrue();

        assertThat(run.exitValue()).as(output).isZero();
        assertThat(output.lines().toList()).as(output)
                .containsExactlyInAnyOrder("6 words", "4 words", "0 words", "squares: [1, 4, 9]", "total: 10");
        assertThat(output.lines().toList().subList(3, 5)).containsExactly("squares: [1, 4, 9]", "total: 10");
    }

    private static String onlyJavaBlock(String page) {
        Matcher block = JAVA_BLOCK.matcher(page);
        assertThat(block.find()).as("a ```java block in docs/plain-java.md").isTrue();
        String source = block.group(1);
        assertThat(block.find()).as("a second ```java block in docs/plain-java.md: the test runs only one").isFalse();
        return source;
    }

    private static String page() throws IOException {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        return Files.readString(module.resolve("../docs/plain-java.md").normalize(), StandardCharsets.UTF_8);
    }
}
