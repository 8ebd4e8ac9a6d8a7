package io.stratos.lxc.agent.internal.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.api.StratosException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageManifestTest {

    @TempDir
    Path dir;

    private ImageManifest read(String json) throws Exception {
        Path file = dir.resolve("cartridge.json");
        Files.writeString(file, json);
        return ImageManifest.read(file);
    }

    @Test
    void readsWhatTheAgentNeeds() throws Exception {
        ImageManifest manifest = read("{\"name\":\"static-httpd\",\"version\":\"1.0\",\"start\":[\"httpd\",\"-f\"],"
                + "\"ports\":[{\"name\":\"http\",\"port\":8081}],\"env\":{\"A\":\"1\"},\"resources\":{\"cpuMillis\":250,\"memoryMiB\":32},"
                + "\"health\":{\"http\":\"/\"},\"runtimes\":[\"lxc\"]}");

        assertThat(manifest.name()).isEqualTo("static-httpd");
        assertThat(manifest.start()).containsExactly("httpd", "-f");
        assertThat(manifest.port()).isEqualTo(8081);
        assertThat(manifest.env()).containsEntry("A", "1");
        assertThat(manifest.cpuMillis()).isEqualTo(250);
        assertThat(manifest.memoryMiB()).isEqualTo(32);
        assertThat(manifest.runtimes()).containsExactly("lxc");
    }

    @Test
    void defaultsAndErrors() throws Exception {
        ImageManifest manifest = read("{\"name\":\"x\",\"start\":[\"run\"]}");
        assertThat(manifest.port()).isEqualTo(8080);
        assertThat(manifest.runtimes()).containsExactly("lxc", "docker");

        assertThatThrownBy(() -> read("{\"name\":\"x\"}"))
                .isInstanceOfSatisfying(StratosException.class, e -> assertThat(e.field()).isEqualTo("start"));
        assertThatThrownBy(() -> read("not json")).isInstanceOf(StratosException.class);
    }
}
