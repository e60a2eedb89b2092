package dev.spool.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the console page is told of the server: written into its attributes, escaped, with an endpoint that is not
 * exposed as the empty string, and its own files relative to the last segment of its path.
 */
@Timeout(10)
class ConsoleSettingsTests {

    private static final String TEMPLATE = "<link href=\"{{self}}/console.css\"><body data-console=\"{{console}}\" "
            + "data-executors=\"{{executors}}\" data-primitives=\"{{primitives}}\" data-writes=\"{{writes}}\">";

    @Test
    void theSettingsTakeTheirPlaces() {
        assertThat(new ConsoleSettings("console", "executors", "primitives", true).render(TEMPLATE)).isEqualTo(
                "<link href=\"console/console.css\"><body data-console=\"console\" data-executors=\"executors\" "
                        + "data-primitives=\"primitives\" data-writes=\"true\">");
    }

    @Test
    void anEndpointNotExposedIsEmptyAndTheFilesFollowANestedMapping() {
        assertThat(new ConsoleSettings("ops/spool", null, "prims", false).render(TEMPLATE)).isEqualTo(
                "<link href=\"spool/console.css\"><body data-console=\"ops/spool\" data-executors=\"\" "
                        + "data-primitives=\"prims\" data-writes=\"false\">");
    }

    @Test
    void aMappingCannotBreakOutOfItsAttribute() {
        String page = new ConsoleSettings("console", "x\" onload=\"alert(1)", "<script>&'", false).render(TEMPLATE);
        assertThat(page).contains("data-executors=\"x&quot; onload=&quot;alert(1)\"",
                "data-primitives=\"&lt;script&gt;&amp;&#39;\"").doesNotContain("<script>");
    }

    @Test
    void withoutWebEndpointsNothingIsExposed() {
        assertThat(ConsoleSettings.of(null)).isEqualTo(new ConsoleSettings("console", null, null, false));
    }

    @Test
    void onlyTheListedFilesAreServed() {
        assertThat(ConsoleEndpoint.serves("console.js")).isTrue();
        assertThat(ConsoleEndpoint.serves("uPlot.LICENSE")).isTrue();
        assertThat(ConsoleEndpoint.serves("console.html")).isFalse();
        assertThat(ConsoleEndpoint.serves("../console.js")).isFalse();
        assertThat(ConsoleEndpoint.serves("README.md")).isFalse();
    }
}
