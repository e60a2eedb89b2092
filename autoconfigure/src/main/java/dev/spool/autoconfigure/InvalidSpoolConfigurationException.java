package dev.spool.autoconfigure;

import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code spool.*} holds values Spool cannot build from. Start-up stops, and {@link SpoolConfigurationFailureAnalyzer}
 * shows every problem with the key it concerns and what to write instead.
 */
public class InvalidSpoolConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    /** @param problems what is wrong, at least one */
    public InvalidSpoolConfigurationException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    /**
     * @return what is wrong, in the order the checks found them: name clashes first, then each kind in turn, then
     * the default executor and the metrics and health keys
     */
    public List<Problem> problems() {
        return this.problems;
    }

    /**
     * One wrong value.
     *
     * @param key         the full property key, such as {@code spool.executors.io.max-workers}
     * @param description what is wrong with it
     * @param action      what to write instead
     */
    public record Problem(String key, String description, String action) {
        @Override
        public String toString() {
            return key + ": " + description;
        }
    }
}
