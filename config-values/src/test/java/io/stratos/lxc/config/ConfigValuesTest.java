package io.stratos.lxc.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigValuesTest {

    enum Mode { FAST, SLOW_START }

    @Test
    void readsTypedValuesAndUsesDefaultsForMissingKeys() {
        ConfigValues values = ConfigValues.of("io.stratos.lxc.test",
                Map.of("port", "8282", "enabled", "TRUE", "name", "  hello  ", "mode", "slow-start"));

        assertThat(values.port("port", 1)).isEqualTo(8282);
        assertThat(values.bool("enabled", false)).isTrue();
        assertThat(values.string("name", "x")).isEqualTo("hello");
        assertThat(values.enumValue("mode", Mode.class, Mode.FAST)).isEqualTo(Mode.SLOW_START);
        assertThat(values.integer("missing", 7, 0, 10)).isEqualTo(7);
        assertThat(values.valid()).isTrue();
    }

    @Test
    void anUnparsableValueIsAProblemNamingTheKeyAndFallsBackToTheDefault() {
        ConfigValues values = ConfigValues.of("io.stratos.lxc.controller",
                Map.of("agentGracePeriodSeconds", "thirty", "httpPort", "70000", "debug", "yes"));

        assertThat(values.integer("agentGracePeriodSeconds", 30, 1, 3600)).isEqualTo(30);
        assertThat(values.port("httpPort", 8181)).isEqualTo(8181);
        assertThat(values.bool("debug", false)).isFalse();

        assertThat(values.valid()).isFalse();
        assertThat(values.problems()).extracting(ConfigProblem::key)
                .containsExactly("agentGracePeriodSeconds", "httpPort", "debug");
        assertThat(values.describeProblems())
                .contains("io.stratos.lxc.controller: key 'agentGracePeriodSeconds' has value 'thirty', expected a whole number from 1 to 3600")
                .contains("key 'httpPort' has value '70000'");
    }

    @Test
    void anUnknownEnumValueListsTheAllowedOnes() {
        ConfigValues values = ConfigValues.of("pid", Map.of("mode", "turbo"));
        assertThat(values.enumValue("mode", Mode.class, Mode.FAST)).isEqualTo(Mode.FAST);
        assertThat(values.describeProblems()).contains("one of [fast, slow_start]");
    }
}
