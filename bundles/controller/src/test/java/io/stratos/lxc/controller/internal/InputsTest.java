package io.stratos.lxc.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stratos.lxc.api.StratosException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InputsTest {

    private static StratosException refused(Runnable check) {
        StratosException e = catchThrowableOfType(StratosException.class, check::run);
        assertThat(e).as("refused").isNotNull();
        assertThat(e.kind()).isEqualTo(StratosException.Kind.INVALID_INPUT);
        return e;
    }

    private static Map<String, String> mapOf(String key, String value) {
        Map<String, String> map = new HashMap<>();
        map.put(key, value);
        return map;
    }

    @Test
    void ordinaryEnvironmentAndTemplatesPass() {
        assertThat(Inputs.env(Map.of("PORT", "8080", "_X1", "", "MSG", "hello world ü"))).hasSize(3);
        assertThat(Inputs.env(null)).isEmpty();
        assertThat(Inputs.template(Map.of("imageId", "debian-12", "cloud.user-data", "#!/bin/sh\necho hi\n"))).hasSize(2);
        assertThat(Inputs.template(null)).isEmpty();
    }

    @Test
    void anEnvValueWithALineBreakIsRefusedBecauseItWouldAddLinesToTheContainersLxcConfig() {
        StratosException e = refused(() -> Inputs.env(Map.of("X", "1\nlxc.mount.entry = / host none bind 0 0")));
        assertThat(e.field()).isEqualTo("env.X");
        assertThat(e.getMessage()).contains("line break");
        assertThat(refused(() -> Inputs.env(Map.of("X", "a\rb"))).field()).isEqualTo("env.X");
        assertThat(refused(() -> Inputs.env(Map.of("X", "a\0b"))).field()).isEqualTo("env.X");
    }

    @Test
    void envNamesMustBePosixNamesAndValuesNotNull() {
        assertThat(refused(() -> Inputs.env(Map.of("A=B", "1"))).getMessage()).contains("'A=B' is not valid");
        assertThat(refused(() -> Inputs.env(Map.of("1X", "1"))).field()).isEqualTo("env");
        assertThat(refused(() -> Inputs.env(Map.of("", "1"))).field()).isEqualTo("env");
        assertThat(refused(() -> Inputs.env(Map.of("X\nY", "1"))).getMessage()).contains("X\\u000aY");
        assertThat(refused(() -> Inputs.env(mapOf("X", null))).field()).isEqualTo("env.X");
        assertThat(refused(() -> Inputs.env(mapOf(null, "1"))).field()).isEqualTo("env");
    }

    @Test
    void hugeMapsAndValuesAreRefused() {
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i <= Inputs.MAX_ENTRIES; i++) {
            many.put("K" + i, "v");
        }
        assertThat(refused(() -> Inputs.env(many)).field()).isEqualTo("env");
        assertThat(refused(() -> Inputs.template(many)).field()).isEqualTo("template");
        assertThat(refused(() -> Inputs.env(Map.of("X", "x".repeat(Inputs.MAX_ENV_VALUE + 1)))).field()).isEqualTo("env.X");
        assertThat(refused(() -> Inputs.template(Map.of("k", "x".repeat(Inputs.MAX_TEMPLATE_VALUE + 1)))).field())
                .isEqualTo("template.k");
    }

    @Test
    void templateKeysAndValuesMustBePresent() {
        assertThat(refused(() -> Inputs.template(mapOf("imageId", null))).field()).isEqualTo("template.imageId");
        assertThat(refused(() -> Inputs.template(mapOf(null, "x"))).field()).isEqualTo("template");
        assertThat(refused(() -> Inputs.template(Map.of("../x", "x"))).field()).isEqualTo("template");
    }

    /** Found by the fuzzer: an env of 10,034 characters as stored was the database's 503, quoting the SQL. */
    @Test
    void anEnvOrTemplateLargerThanTheDatabaseKeepsIsA400() {
        assertThat(refused(() -> Inputs.env(Map.of("A", "ü".repeat(8001)))).field()).isEqualTo("env");
        assertThat(refused(() -> Inputs.template(Map.of("a", "x".repeat(8001)))).field()).isEqualTo("template");
        assertThat(Inputs.env(Map.of("A", "x".repeat(7000)))).hasSize(1);
    }
}
