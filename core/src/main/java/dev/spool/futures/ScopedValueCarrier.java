package dev.spool.futures;

import java.util.function.UnaryOperator;

/**
 * The JDK 21 half of {@link ScopedValues}: {@code java.lang.ScopedValue} is a preview API before JDK 25, so this
 * one can only refuse. spool-core's multi-release jar has the other half in {@code META-INF/versions/25}, which a
 * JDK 25 or newer loads instead of this class.
 */
final class ScopedValueCarrier {
    /**
     * @return whether this class can carry bindings: not this one. A method, not a constant: javac would copy
     * a constant into {@link ScopedValues}, which is compiled against the JDK 21 half
     */
    static boolean supported() {
        return false;
    }

    private ScopedValueCarrier() {
    }

    /** @throws UnsupportedOperationException always, saying what is needed */
    static UnaryOperator<Runnable> of(Object[] scopedValues) {
        throw new UnsupportedOperationException(unsupported(Runtime.version().feature()));
    }

    static String unsupported(int javaVersion) {
        String message = "carrying ScopedValue bindings into pool threads needs Java 25 or newer, where ScopedValue"
                + " is final (before that it is a preview API); this JVM is Java " + javaVersion;
        if (javaVersion < 25) {
            return message;
        }
        return message + ", but spool-core's JDK 25 classes were not loaded: they are in META-INF/versions/25 of its"
                + " multi-release jar, which classes run from a directory, a jar built where no JDK 25 was found, or a"
                + " repackaged jar without 'Multi-Release: true' in its manifest do not have";
    }
}
