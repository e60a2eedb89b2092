package dev.spool.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Spool's sample: a small order-processing web service (a haberdashery) whose pools and primitives are all named in
 * {@code application.yml} and used the way an application uses them.
 *
 * <ul>
 *   <li>{@code POST /orders} reserves stock (fanned out on the {@code io} pool and gathered with
 *       {@code Futures.wait}), writing each change to the stock ledger under the {@code inventory} RLock, prices every
 *       line on the {@code crunch} process pool (gathered with {@code Futures.asCompleted}), and charges the card
 *       with an {@code @Async("io")} call that holds a permit of the bounded {@code db} semaphore;</li>
 *   <li>orders wait on the {@code ready} event while the catalogue loads, and on the {@code restocked} condition
 *       while an item is sold out; {@code POST /stocktake} meets its auditors at the {@code audit} barrier;</li>
 *   <li>{@code POST /load?seconds=N} runs simulated customers on the virtual {@code requests} pool, so that every
 *       queue, lock and semaphore meter moves (the {@code load} profile does it from start-up);</li>
 *   <li>{@code LowStockReport}, a {@code @Scheduled} job on the {@code ticks} scheduled pool, looks for items running
 *       low every few seconds;</li>
 *   <li>{@code POST /demo/deadlock?seconds=N} deadlocks two threads on the {@code bay-a} and {@code bay-b} locks for
 *       N seconds, after which it heals by itself: what {@code /actuator/console} (turned on here) draws in red.</li>
 * </ul>
 * Run it with {@code ./mvnw -pl sample-app -am spring-boot:run} and open {@code http://localhost:8080/}. With the
 * {@code redis} profile (application-redis.yml) the {@code inventory} lock and the {@code db} semaphore live in Redis,
 * so that replicas of the app share one stock ledger and one payments database: {@code docker compose --profile redis
 * up --build} runs two, and {@code scripts/e2e-redis} checks them.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableAsync
@EnableScheduling
public class SampleApp {

    /** Spring's instance of the application class. */
    public SampleApp() {
    }

    /**
     * Starts the service.
     *
     * @param args Spring Boot's command line ({@code --server.port=0}, {@code --spring.profiles.active=load}, …)
     */
    public static void main(String[] args) {
        SpringApplication.run(SampleApp.class, args);
    }
}
