package dev.spool.autoconfigure.actuate.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.futures.ThreadPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * {@link ObservedApp} as configured, without {@code spool.endpoints.write.enabled}: the {@code executors} endpoint has
 * no write operation, so a POST is 405 and resizes nothing, while reads work as usual.
 */
@SpringBootTest(classes = ObservedApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=observed-app")
@AutoConfigureRestTestClient
@Timeout(60)
class WriteDisabledHttpTests {

    @Autowired
    RestTestClient http;

    @Autowired
    @Qualifier("resizable")
    ThreadPool resizable;

    @Test
    void postIsMethodNotAllowedAndChangesNothing() {
        byte[] body = http.post().uri("/actuator/executors/resizable").contentType(MediaType.APPLICATION_JSON)
                .body("{\"maxWorkers\": 8, \"queueCapacity\": 500}").exchange()
                .expectStatus().isEqualTo(405)
                .expectHeader().valueEquals("Allow", "GET")
                .expectBody().returnResult().getResponseBodyContent();
        Samples.save("executors-resize-disabled", 405, body == null ? "" : new String(body));
        assertThat(resizable.stats().maxWorkers()).isEqualTo(2);
        assertThat(resizable.stats().queueCapacity()).isEqualTo(10);
    }

    @Test
    void readsStillWork() {
        http.get().uri("/actuator/executors/resizable").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.maxWorkers").isEqualTo(2);
    }
}
