package dev.spool.autoconfigure.actuate.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps the bodies the HTTP tests receive in {@code target/endpoint-samples/}, so that {@code docs/endpoints.md} shows
 * real responses of the test application rather than hand-written ones.
 */
final class Samples {

    static final Path DIRECTORY = Path.of("target", "endpoint-samples");

    private Samples() {
    }

    /**
     * @param name   the file name, without extension
     * @param status the HTTP status
     * @param body   the response body
     */
    static void save(String name, int status, String body) {
        try {
            Files.createDirectories(DIRECTORY);
            Files.writeString(DIRECTORY.resolve(name + ".txt"), "HTTP " + status + "\n" + body + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
