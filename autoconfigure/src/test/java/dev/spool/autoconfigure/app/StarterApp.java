package dev.spool.autoconfigure.app;

import java.util.concurrent.CompletableFuture;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.stereotype.Service;

/** A small application that uses Spool only through the starter's auto-configuration and {@code starter-app.yml}. */
@SpringBootApplication
@EnableAsync
public class StarterApp {

    /** {@code @Async} methods that say which thread ran them. */
    @Service
    public static class Reports {

        /** @return the thread that ran it: one of pool {@code io}'s */
        @Async("io")
        public CompletableFuture<String> render() {
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }

        /** @return the thread that ran it: {@code spool.default-executor} is {@code io} */
        @Async
        public CompletableFuture<String> renderOnDefault() {
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }

        /** @return whether a virtual thread ran it */
        @Async("burst")
        public CompletableFuture<Boolean> burst() {
            return CompletableFuture.completedFuture(Thread.currentThread().isVirtual());
        }
    }
}
