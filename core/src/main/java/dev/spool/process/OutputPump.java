package dev.spool.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Copies one output stream of a worker (stdout or stderr) into the parent's log, line by line, on its own daemon
 * thread, so the worker never blocks on a full pipe; keeps the last lines of both streams in a shared
 * {@link Tail} for error messages.
 */
final class OutputPump implements Runnable {
    private final InputStream stream;
    private final System.Logger logger;
    private final System.Logger.Level level;
    private final String label;
    private final Tail tail;
    private final Thread thread;

    OutputPump(InputStream stream, System.Logger logger, System.Logger.Level level, String label, Tail tail,
               String threadName) {
        this.stream = stream;
        this.logger = logger;
        this.level = level;
        this.label = label;
        this.tail = tail;
        this.thread = new Thread(null, this, threadName, 128 * 1024);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Waits until the stream has ended (all the worker's output is in), at most {@code millis}. */
    void awaitEnd(long millis) {
        try {
            thread.join(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, Charset.defaultCharset()))) {
            for (String line; (line = reader.readLine()) != null; ) {
                tail.add(label, line);
                logger.log(level, line);
            }
        } catch (IOException closed) {
            // the process is gone and its pipe was closed
        }
    }

    /** The last lines a worker wrote, stdout and stderr interleaved as they were read. */
    static final class Tail {
        private static final int MAX_LINE = 500;
        private final int capacity;
        private final ArrayDeque<String> lines;

        Tail(int capacity) {
            this.capacity = capacity;
            this.lines = new ArrayDeque<>(capacity);
        }

        synchronized void add(String label, String line) {
            if (lines.size() == capacity) {
                lines.pollFirst();
            }
            lines.addLast(label + (line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + "…" : line));
        }

        synchronized List<String> lines() {
            return List.copyOf(lines);
        }
    }
}
