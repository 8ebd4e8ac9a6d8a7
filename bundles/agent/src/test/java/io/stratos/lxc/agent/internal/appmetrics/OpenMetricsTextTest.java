package io.stratos.lxc.agent.internal.appmetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class OpenMetricsTextTest {

    @Test
    void takesTheWantedMetricsSummedOverTheirLabels() throws Exception {
        String text = """
                # HELP queue_depth Jobs waiting.
                # TYPE queue_depth gauge
                queue_depth{queue="a"} 3
                queue_depth{queue="b",note="say \\"hi\\"\\n\\\\"} 4.5 1712345678000
                # a comment
                
                other_total 1e3
                up 1
                # EOF
                """;
        assertThat(OpenMetricsText.values(text, List.of("queue_depth", "other_total", "absent")))
                .isEqualTo(Map.of("queue_depth", 7.5, "other_total", 1000.0));
    }

    @Test
    void readsSpecialValuesAndExemplars() throws Exception {
        String text = "a +Inf\nb NaN\nc_bucket{le=\"0.5\"} 2 # {trace_id=\"x\"} 0.3 1.0\nd -1.5e-3\n";
        Map<String, Double> values = OpenMetricsText.values(text, List.of("a", "b", "c_bucket", "d"));
        assertThat(values.get("a")).isInfinite();
        assertThat(values.get("b")).isNaN();
        assertThat(values).containsEntry("c_bucket", 2.0).containsEntry("d", -0.0015);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<!doctype html><html><body>hello</body></html>",
            "{\"queue_depth\": 3}",
            "queue_depth",
            "queue_depth three",
            "queue_depth 0x10",
            "queue_depth 1d",
            "queue_depth Infinity",
            "queue_depth{queue=\"a} 3",
            "queue_depth{queue=a} 3",
            "queue_depth{queue=\"a\"",
            "queue_depth{queue=\"\\t\"} 3",
            "queue-depth 3",
            "9queue 3",
            "queue_depth 3 12 extra",
            "queue_depth  3",
            "queue_depth 3\r",
            "queue_depth 3\n# EOF\nqueue_depth 4",
    })
    void refusesWhatIsNotTheFormatNamingTheLine(String text) {
        assertThatThrownBy(() -> OpenMetricsText.values(text, List.of("queue_depth")))
                .isInstanceOf(OpenMetricsText.Malformed.class).hasMessageStartingWith("line ");
    }
}
