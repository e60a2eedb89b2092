package dev.spool.autoconfigure.actuate.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.spool.futures.TaskFuture;
import dev.spool.futures.ThreadPool;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * A task blocked past its executor's {@code run-timeout} in a whole Boot application: logged once (core logs through
 * {@code System.Logger}, which reaches Logback through JUL and Boot's bridge), shown over HTTP with its stack on
 * {@code ?stacks=true}, scraped as {@code spool_executor_tasks_hung}, and turning the {@code spool} health component to
 * {@code spool.health.hung-tasks-status} until it ends. The responses are kept for {@code docs/endpoints.md}.
 */
@SpringBootTest(classes = ObservedApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=observed-app",
                "spool.executors.reports.max-workers=2", "spool.executors.reports.prestart=true",
                "spool.executors.reports.run-timeout=100ms",
                "spool.health.hung-tasks-status=OUT_OF_SERVICE"})
@AutoConfigureRestTestClient
@ExtendWith(OutputCaptureExtension.class)
@Timeout(60)
class HungTasksHttpTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    RestTestClient http;

    @Autowired
    @Qualifier("reports")
    ThreadPool reports;

    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private Logger futuresLogger;

    @BeforeEach
    void listenToSpoolsLogger() {
        // after the context, whose logging system set Logback up afresh
        futuresLogger = (Logger) LoggerFactory.getLogger("dev.spool.futures");
        events.start();
        futuresLogger.addAppender(events);
    }

    @AfterEach
    void stopListening() {
        futuresLogger.detachAppender(events);
    }

    @Test
    void aHungTaskIsLoggedOnceShownWithItsStackScrapedAndInHealthUntilItEnds(CapturedOutput output) {
        CountDownLatch release = new CountDownLatch(1);
        TaskFuture<Boolean> first = reports.submit("monthly-close", () -> release.await(30, TimeUnit.SECONDS));
        TaskFuture<Boolean> second;
        try {
            await().atMost(WAIT).until(() -> reports.timeoutStats().runTimeouts() == 1);
            // By the time the watch reports a second task, it has looked at the first one again several times.
            second = reports.submit("quarterly-close", () -> release.await(30, TimeUnit.SECONDS));
            await().atMost(WAIT).until(() -> reports.timeoutStats().runTimeouts() == 2);

            assertLoggedOnceWithItsStack("monthly-close", output);
            assertLoggedOnceWithItsStack("quarterly-close", output);

            String withStacks = get("/actuator/executors/reports?stacks=true", 200);
            Samples.save("executors-reports-hung-stacks", 200, withStacks);
            http.get().uri("/actuator/executors/reports?stacks=true").exchange()
                    .expectStatus().isOk()
                    .expectBody()
                    .jsonPath("$.timeouts.runTimeoutMillis").isEqualTo(100.0)
                    .jsonPath("$.timeouts.hung").isEqualTo(2)
                    .jsonPath("$.timeouts.runTimeouts").isEqualTo(2)
                    .jsonPath("$.timeouts.queueTimeoutMillis").doesNotExist()
                    .jsonPath("$.hungTasks[*].task").value(tasks -> assertThat(tasks)
                            .asInstanceOf(InstanceOfAssertFactories.LIST)
                            .containsExactlyInAnyOrder("monthly-close", "quarterly-close"))
                    .jsonPath("$.workers[?(@.task == 'monthly-close')].state").isEqualTo(List.of("BUSY"))
                    .jsonPath("$.workers[?(@.task == 'monthly-close')].hung").isEqualTo(List.of(true))
                    .jsonPath("$.workers[?(@.task == 'monthly-close')].since").exists()
                    .jsonPath("$.workers[?(@.task == 'monthly-close')].runningMillis").exists()
                    .jsonPath("$.workers[?(@.task == 'monthly-close')].stack[*]").value(stack -> assertThat(stack)
                            .asInstanceOf(InstanceOfAssertFactories.list(String.class))
                            .allMatch(line -> line.startsWith("at "))
                            .anyMatch(line -> line.startsWith("at java.base/java.util.concurrent.CountDownLatch.await("))
                            .anyMatch(line -> line.contains(HungTasksHttpTests.class.getName() + ".lambda$")));
            String plain = get("/actuator/executors/reports", 200);
            Samples.save("executors-reports-hung", 200, plain);
            assertThat(plain).as("no stacks unless asked").contains("\"task\":\"monthly-close\"")
                    .doesNotContain("\"stack\"");
            assertThat(get("/actuator/executors/reports?stacks=false", 200)).doesNotContain("\"stack\"");
            assertThat(get("/actuator/executors", 200)).as("the list view").doesNotContain("\"stack\"")
                    .doesNotContain("monthly-close");

            String health = get("/actuator/health/spool", 503); // OUT_OF_SERVICE, by Boot's default mapping
            Samples.save("health-hung", 503, health);
            http.get().uri("/actuator/health/spool").exchange()
                    .expectStatus().isEqualTo(503)
                    .expectBody()
                    .jsonPath("$.status").isEqualTo("OUT_OF_SERVICE")
                    .jsonPath("$.details.hungTasks.reports.count").isEqualTo(2)
                    .jsonPath("$.details.hungTasks.reports.tasks[*].task").value(tasks -> assertThat(tasks)
                            .asInstanceOf(InstanceOfAssertFactories.LIST)
                            .containsExactlyInAnyOrder("monthly-close", "quarterly-close"))
                    .jsonPath("$.details.hungTasks.reports.tasks[0].worker").value(worker ->
                            assertThat((String) worker).startsWith("reports-"))
                    .jsonPath("$.details.hungTasks.reports.tasks[0].runningMillis").exists();

            assertThat(scrape()).contains("spool_executor_tasks_hung{name=\"reports\",type=\"thread\"} 2.0")
                    .contains("spool_executor_run_timeouts_total{name=\"reports\",type=\"thread\"} 2.0");
        } finally {
            release.countDown();
        }
        assertThat(first.result(WAIT)).isTrue();
        assertThat(second.result(WAIT)).isTrue();
        await().atMost(WAIT).until(() -> reports.timeoutStats().hung() == 0);

        http.get().uri("/actuator/health/spool").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.details.hungTasks").isEmpty();
        assertThat(scrape()).contains("spool_executor_tasks_hung{name=\"reports\",type=\"thread\"} 0.0")
                .contains("spool_executor_run_timeouts_total{name=\"reports\",type=\"thread\"} 2.0");
        assertThat(get("/actuator/executors/reports", 200)).doesNotContain("monthly-close")
                .contains("\"hungTasks\":[]");
    }

    /** One Logback event for the task, at WARN, carrying the worker's stack; and one line of it on the console. */
    private void assertLoggedOnceWithItsStack(String task, CapturedOutput output) {
        List<ILoggingEvent> logged;
        synchronized (events) { // Logback appends under the appender's lock
            logged = events.list.stream().filter(e -> e.getFormattedMessage().contains("task " + task + " ")).toList();
        }
        assertThat(logged).as("log events of " + task).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage()).startsWith("thread pool reports: task " + task + " on reports-")
                    .contains("past its run-timeout of 100.0 ms");
            IThrowableProxy stack = event.getThrowableProxy();
            assertThat(stack).as("the worker's stack rides on the event").isNotNull();
            assertThat(stack.getMessage()).startsWith("stack of reports-");
            assertThat(stack.getStackTraceElementProxyArray()).extracting(StackTraceElementProxy::getSTEAsString)
                    .anyMatch(frame -> frame.contains("java.util.concurrent.CountDownLatch.await("));
        });
        // JUL's own console handler would print it a second time, had Boot's bridge not replaced it
        assertThat(Pattern.compile(Pattern.quote("task " + task + " on reports-")).matcher(output.getAll())
                .results().count()).as("console lines of " + task).isEqualTo(1);
    }

    private String scrape() {
        EntityExchangeResult<String> result = http.get().uri("/actuator/prometheus").accept(MediaType.TEXT_PLAIN)
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult();
        return result.getResponseBody();
    }

    private String get(String path, int status) {
        EntityExchangeResult<String> result = http.get().uri(path).accept(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isEqualTo(status)
                .expectBody(String.class).returnResult();
        return result.getResponseBody() == null ? "" : result.getResponseBody();
    }
}
