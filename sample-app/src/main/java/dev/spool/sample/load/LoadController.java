package dev.spool.sample.load;

import java.time.Duration;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The load generator's HTTP API: {@code POST /load?seconds=30&customers=48} starts a run (202; a run already going on
 * just goes on), {@code GET /load} shows its progress, {@code DELETE /load} stops it.
 */
@RestController
@RequestMapping("/load")
public class LoadController {

    private final LoadGenerator generator;

    /**
     * Makes the controller.
     *
     * @param generator the load generator
     */
    public LoadController(LoadGenerator generator) {
        this.generator = generator;
    }

    /**
     * Starts a run.
     *
     * @param seconds   how long the run lasts; 0 runs until {@code DELETE /load}
     * @param customers simulated customers ordering at once (default {@code sample.load.customers})
     * @return 202 with the run's status
     */
    @PostMapping
    public ResponseEntity<LoadStatus> start(@RequestParam(defaultValue = "30") long seconds,
                                            @RequestParam(required = false) Integer customers) {
        if (seconds < 0) {
            throw new IllegalArgumentException("seconds: 0 (until stopped) or more, was " + seconds);
        }
        int count = customers != null ? customers : generator.defaultCustomers();
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(generator.start(Duration.ofSeconds(seconds), count));
    }

    /**
     * Shows how the current or last run is doing.
     *
     * @return its status
     */
    @GetMapping
    public LoadStatus status() {
        return generator.status();
    }

    /**
     * Asks the current run to stop; its customers finish the orders they are placing.
     *
     * @return the run's status
     */
    @DeleteMapping
    public LoadStatus stop() {
        return generator.stop();
    }
}
