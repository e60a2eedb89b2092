package dev.spool.process;

import dev.spool.futures.ProcessPool;

/**
 * A parent JVM started with {@code JAVA_TOOL_OPTIONS} set, for {@link WorkerProtocolTest}: prints what its workers
 * see of it, with the default and with {@code inheritJavaToolOptions(true)}.
 */
public final class EnvParent {
    private EnvParent() {
    }

    static String seen() {
        return System.getenv("JAVA_TOOL_OPTIONS") + "|" + System.getProperty("spool.marker");
    }

    public static void main(String[] args) {
        for (boolean inherit : new boolean[] {false, true}) {
            try (ProcessPool pool = ProcessPool.builder().name("env").maxWorkers(1).inheritJavaToolOptions(inherit)
                    .build()) {
                System.out.println((inherit ? "inherit " : "default ") + pool.submit(EnvParent::seen).result());
            }
        }
    }
}
