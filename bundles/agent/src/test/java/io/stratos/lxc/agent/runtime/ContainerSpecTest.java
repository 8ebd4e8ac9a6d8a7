package io.stratos.lxc.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.api.StratosException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerSpecTest {

    static final String DIGEST = "sha256:" + "ab".repeat(32);

    static ContainerSpec spec(String processId, List<String> argv, Map<String, String> env) {
        return new ContainerSpec(processId, "static-httpd", DIGEST, Path.of("/images/x/rootfs"), argv, env, 8080, 20000, 500, 64, 128);
    }

    @Test
    void aValidSpecIsImmutableAndNamesItsContainer() {
        ContainerSpec spec = spec("p-1", List.of("httpd", "-f"), Map.of("A", "b"));

        assertThat(spec.containerName()).isEqualTo("stratos-p-1");
        assertThat(spec.digestHex()).hasSize(64);
        assertThat(spec.envWithPort(8080)).containsEntry("PORT", "8080").containsEntry("A", "b");
        assertThat(spec.memoryBytes()).isEqualTo(64L * 1024 * 1024);
        assertThatThrownBy(() -> spec.argv().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void badInputIsRefusedWithTheField() {
        assertThatThrownBy(() -> spec("../etc", List.of("x"), Map.of()))
                .isInstanceOfSatisfying(StratosException.class, e -> assertThat(e.field()).isEqualTo("processId"));
        assertThatThrownBy(() -> spec("p", List.of(), Map.of()))
                .isInstanceOfSatisfying(StratosException.class, e -> assertThat(e.field()).isEqualTo("argv"));
        assertThatThrownBy(() -> spec("p", List.of("x"), Map.of("BAD NAME", "v")))
                .isInstanceOfSatisfying(StratosException.class, e -> assertThat(e.field()).isEqualTo("env"));
        assertThatThrownBy(() -> new ContainerSpec("p", "static-httpd", "sha256:xyz", Path.of("/r"), List.of("x"), Map.of(), 1, 1, 0, 0, 0))
                .isInstanceOfSatisfying(StratosException.class, e -> assertThat(e.field()).isEqualTo("imageDigest"));
    }

    @Test
    void containerNamesRoundTrip() {
        assertThat(ContainerNames.processId("stratos-p-1")).isEqualTo("p-1");
        assertThat(ContainerNames.processId("/stratos-p-1")).isEqualTo("p-1");
        assertThat(ContainerNames.processId("other")).isNull();
        assertThat(ContainerNames.processId("stratos-")).isNull();
    }
}
