package dev.spool.futures;

import java.io.IOException;

/**
 * A {@link ProcessPool} task uses a class that its worker JVMs cannot load: the class comes from a class loader
 * whose classes are neither on {@code java.class.path} nor in the jars and directories of the URL class loaders the
 * pool was built with. {@code submit} returns a future already failed with it (and {@code execute} throws
 * {@link java.util.concurrent.RejectedExecutionException} with it as the cause) instead of sending a task the worker
 * would fail to deserialize. The message names the class, its class loader and what to do.
 */
public class UnreachableClassException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String className;
    private final String classLoader;

    /**
     * @param className   the class the worker could not load
     * @param classLoader the class loader it came from, as {@code toString()} shows it
     * @param message     the whole message
     */
    public UnreachableClassException(String className, String classLoader, String message) {
        super(message);
        this.className = className;
        this.classLoader = classLoader;
    }

    /** @return the class the worker could not load */
    public String className() {
        return className;
    }

    /** @return the class loader the class came from */
    public String classLoader() {
        return classLoader;
    }
}
