package io.stratos.lxc.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.status.ComponentState;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreComponentTest {

    @TempDir
    Path dir;

    @Test
    void aValidConfigurationOpensTheStoreAndItIsActive() {
        StoreComponent component = new StoreComponent();
        component.configure(Map.of("directory", dir.toString(), "maxImageBytes", "1048576"));

        assertThat(component.componentStatus().state()).isEqualTo(ComponentState.ACTIVE);
        assertThat(component.maxImageBytes()).isEqualTo(1048576);
        assertThat(dir.resolve("blobs/sha256")).isDirectory();
    }

    @Test
    void aBadValueShowsUnconfiguredNamingTheKeyAndKeepsTheLastGoodSettings() {
        StoreComponent component = new StoreComponent();
        component.configure(Map.of("directory", dir.toString(), "maxImageBytes", "1048576"));
        component.configure(Map.of("directory", dir.toString(), "maxImageBytes", "huge"));

        assertThat(component.componentStatus().state()).isEqualTo(ComponentState.UNCONFIGURED);
        assertThat(component.componentStatus().detail()).contains("maxImageBytes").contains("huge");
        assertThat(component.maxImageBytes()).isEqualTo(1048576);
        byte[] image = TestImages.image("static-httpd", "1.0.0").bytes();
        component.upload("static-httpd", "1.0.0", new ByteArrayInputStream(image), image.length, null, null);
        assertThat(component.list()).hasSize(1);
    }

    @Test
    void aDirectoryThatCannotBeCreatedMakesTheStoreUnavailableNotBroken() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        StoreComponent component = new StoreComponent();
        component.configure(Map.of("directory", file.resolve("store").toString()));

        assertThat(component.componentStatus().state()).isEqualTo(ComponentState.UNAVAILABLE);
        assertThat(catchThrowableOfType(StratosException.class, component::list).kind())
                .isEqualTo(StratosException.Kind.UNAVAILABLE);

        component.configure(Map.of("directory", dir.resolve("store").toString()));
        assertThat(component.componentStatus().state()).isEqualTo(ComponentState.ACTIVE);
    }
}
