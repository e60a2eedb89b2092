package dev.spool.futures;

import java.time.Duration;

/** A main for {@link JvmExitTest}: each scenario leaves work behind when main returns. */
public final class ExitScenarios {
    private ExitScenarios() {
    }

    public static void main(String[] args) {
        Thread main = Thread.currentThread();
        ThreadPool pool = ThreadPool.builder().name("exit").maxWorkers(1).keepAlive(Duration.ofMillis(100)).build();
        pool.submit(() -> {
            main.join(); // prints only after main has returned
            System.out.println("apple");
            return null;
        });
        switch (args[0]) {
            case "no-shutdown" -> { }
            case "shutdown-no-wait" -> pool.shutdown(false, false);
            case "cancel-no-wait" -> pool.shutdown(false, true);
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
