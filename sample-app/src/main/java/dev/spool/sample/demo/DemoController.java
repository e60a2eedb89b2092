package dev.spool.sample.demo;

import java.time.Duration;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the sample can do on request for the console to show: {@code POST /demo/deadlock?seconds=10} deadlocks two
 * threads on the {@code bay-a} and {@code bay-b} locks for that long (202; one going on just goes on), after which
 * it heals by itself; {@code GET /demo/deadlock} says whether one is going on.
 */
@RestController
@RequestMapping("/demo")
public class DemoController {

    private final DeadlockDemo deadlock;

    /**
     * Makes the controller.
     *
     * @param deadlock the deadlock demo
     */
    public DemoController(DeadlockDemo deadlock) {
        this.deadlock = deadlock;
    }

    /**
     * Starts a deadlock that lasts {@code seconds}: both transfers here, or with {@code only} one of them, for a
     * deadlock through two replicas whose bays are in Redis (the other replica starts the other one).
     *
     * @param seconds how long it lasts, 1 to 120
     * @param only    {@code a-to-b} or {@code b-to-a} for one transfer; absent for both
     * @return 202 with the deadlock going on
     */
    @PostMapping("/deadlock")
    public ResponseEntity<DeadlockDemo.Status> deadlock(@RequestParam(defaultValue = "10") long seconds,
                                                        @RequestParam(required = false) String only) {
        Duration lasting = Duration.ofSeconds(seconds);
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(only == null ? this.deadlock.provoke(lasting) : this.deadlock.provokeHalf(lasting, only));
    }

    /**
     * Shows the deadlock going on, or the last one.
     *
     * @return its status
     */
    @GetMapping("/deadlock")
    public DeadlockDemo.Status deadlockStatus() {
        return this.deadlock.status();
    }
}
