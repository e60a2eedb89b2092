package dev.spool.process;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;

/**
 * SLF4J's {@code org.slf4j.MDC}, reached through method handles: core does not depend on SLF4J, and the parent and
 * each worker find it, or not, on their own class path. The parent reads the submitting thread's MDC into each
 * task; a worker sets it around the task and puts its own back afterwards.
 */
final class Mdc {
    static final String CLASS_NAME = "org.slf4j.MDC";

    private final MethodHandle copy;
    private final MethodHandle set;
    private final MethodHandle clear;

    private Mdc(MethodHandle copy, MethodHandle set, MethodHandle clear) {
        this.copy = copy;
        this.set = set;
        this.clear = clear;
    }

    /** @return the MDC that {@code loader} sees, or null when it cannot load SLF4J */
    static Mdc find(ClassLoader loader) {
        try {
            // not initialized here: SLF4J binds its provider (and logback configures itself) on first real use
            Class<?> mdc = Class.forName(CLASS_NAME, false, loader);
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            return new Mdc(lookup.findStatic(mdc, "getCopyOfContextMap", MethodType.methodType(Map.class)),
                    lookup.findStatic(mdc, "setContextMap", MethodType.methodType(void.class, Map.class)),
                    lookup.findStatic(mdc, "clear", MethodType.methodType(void.class)));
        } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException | LinkageError absent) {
            return null;
        }
    }

    /** @return a copy of the calling thread's MDC, empty when it has none */
    @SuppressWarnings("unchecked")
    Map<String, String> copy() {
        try {
            Map<String, String> context = (Map<String, String>) copy.invokeExact();
            return context == null ? Map.of() : context;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable impossible) {
            throw new IllegalStateException("MDC.getCopyOfContextMap threw", impossible);
        }
    }

    /** Makes {@code context} the calling thread's whole MDC (an empty one clears it). */
    void set(Map<String, String> context) {
        try {
            if (context.isEmpty()) {
                clear.invokeExact();
            } else {
                set.invokeExact(context);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable impossible) {
            throw new IllegalStateException("MDC.setContextMap threw", impossible);
        }
    }
}
