package dev.spool.autoconfigure.adopt.app;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** A web application on Tomcat: one endpoint says which thread served it, another holds its thread. */
@SpringBootApplication
public class AdoptedWebApp {

    /** The request thread, as the application sees it. */
    @RestController
    public static class Threads {

        /** @return {@code virtual:} or {@code platform:}, then the name of the thread that runs the request */
        @GetMapping("/thread")
        public String thread() {
            Thread current = Thread.currentThread();
            return (current.isVirtual() ? "virtual:" : "platform:") + current.getName();
        }
    }

    /** Keeps its request thread until the test lets it go: how a test fills Tomcat's pool. */
    @RestController
    public static class Hold {
        /** Counted down once a {@code /hold} request runs. */
        static volatile CountDownLatch entered = new CountDownLatch(0);
        /** What a {@code /hold} request waits for (at most 30 s, so a failed test still ends). */
        static volatile CountDownLatch release = new CountDownLatch(0);

        /** @return {@code released}, once the test counted {@link #release} down */
        @GetMapping("/hold")
        public String hold() throws InterruptedException {
            entered.countDown();
            return release.await(30, TimeUnit.SECONDS) ? "released" : "timed out";
        }
    }
}
