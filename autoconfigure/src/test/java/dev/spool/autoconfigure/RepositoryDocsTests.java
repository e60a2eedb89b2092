package dev.spool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What docs/, scripts/ and the benchmark pages refer to is in the repository: a relative Markdown link resolves to a
 * file of the tree, a Markdown file named anywhere (a citation such as "see DESIGN.md") exists in the tree, and no
 * text points into the machine it was written on. Every page of docs/, the benchmark pages and the README link to the
 * reference, the public contract.
 */
class RepositoryDocsTests {

    /** A Markdown link or image: {@code [text](target)}. */
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    /** A Markdown file named in text: {@code configuration.md}, {@code docs/python.md}, {@code API.md}. */
    private static final Pattern MARKDOWN_NAME = Pattern.compile("(?<![\\w./-])([\\w./-]*[\\w-]+\\.md)\\b");
    /** Absolute paths into a developer's machine, which a clone does not have. */
    private static final Pattern MACHINE_PATH = Pattern.compile("(?<![\\w.])/(?:work|home|Users|root)/[\\w.-]+");

    private static Path root;
    private static List<Path> files;
    private static Set<String> treeNames;

    @BeforeAll
    static void listTheTree() throws IOException {
        root = ReferenceDocTests.repository();
        files = new ArrayList<>();
        for (String dir : new String[] {"docs", "scripts"}) {
            try (Stream<Path> walk = Files.walk(root.resolve(dir))) {
                // Text only: an image's bytes (docs/images) can look like a link or a path.
                walk.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".png")).forEach(files::add);
            }
        }
        files.add(root.resolve("README.md"));
        try (Stream<Path> pages = Files.list(root.resolve("benchmarks"))) { // its README and history, not its sources
            pages.filter(p -> p.toString().endsWith(".md")).forEach(files::add);
        }
        treeNames = new TreeSet<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.git/"))
                    .forEach(p -> treeNames.add(root.relativize(p).toString()));
        }
    }

    @Test
    void everyRelativeLinkResolvesInTheTree() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path file : files) {
            Matcher link = LINK.matcher(read(file));
            while (link.find()) {
                String target = link.group(1).replaceFirst("#.*$", "");
                if (target.isEmpty() || target.matches("^[a-z]+:.*")) {
                    continue; // an anchor on the same page, or http:, https:, mailto:
                }
                if (!Files.exists(file.getParent().resolve(target).normalize())) {
                    broken.add(root.relativize(file) + ": " + link.group(1));
                }
            }
        }
        assertThat(broken).as("relative links to files that are not in the repository").isEmpty();
    }

    @Test
    void everyMarkdownFileNamedIsInTheTree() throws IOException {
        List<String> outside = new ArrayList<>();
        for (Path file : files) {
            Matcher name = MARKDOWN_NAME.matcher(read(file));
            while (name.find()) {
                String named = name.group(1);
                if (named.contains("target/")) {
                    continue; // a build's output (benchmarks/target/report.md), which a clone makes when it runs
                }
                boolean inTree = Files.exists(file.getParent().resolve(named).normalize())
                        || Files.exists(root.resolve(named).normalize())
                        || treeNames.stream().anyMatch(p -> p.equals(named) || p.endsWith("/" + named));
                if (!inTree) {
                    outside.add(root.relativize(file) + ": " + named);
                }
            }
        }
        assertThat(outside).as("Markdown files cited in docs/ or scripts/ that the repository does not have")
                .isEmpty();
    }

    @Test
    void noTextPointsIntoTheMachineItWasWrittenOn() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : files) {
            Matcher path = MACHINE_PATH.matcher(read(file));
            while (path.find()) {
                found.add(root.relativize(file) + ": " + path.group());
            }
        }
        assertThat(found).as("absolute paths of one machine in docs/ or scripts/").isEmpty();
    }

    @Test
    void everyPageLinksToTheReference() throws IOException {
        List<String> without = new ArrayList<>();
        for (Path file : files) {
            String name = root.relativize(file).toString();
            boolean page = name.endsWith(".md") && !name.equals("docs/reference.md");
            Path reference = file.getParent().relativize(root.resolve("docs/reference.md"));
            if (page && !read(file).contains("](" + reference.toString().replace('\\', '/'))) {
                without.add(name);
            }
        }
        assertThat(without).as("pages with no link to docs/reference.md").isEmpty();
    }

    @Test
    void theseChecksSeeTheDocs() {
        assertThat(files).extracting(f -> root.relativize(f).toString())
                .contains("README.md", "docs/reference.md", "docs/python.md", "scripts/e2e", "benchmarks/README.md",
                        "benchmarks/HISTORY.md");
    }

    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
