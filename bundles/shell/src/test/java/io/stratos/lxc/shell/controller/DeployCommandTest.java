package io.stratos.lxc.shell.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.artifact.ArtifactStatus;
import io.stratos.lxc.api.artifact.ArtifactVersion;
import io.stratos.lxc.api.artifact.GitArtifactSpec;
import io.stratos.lxc.api.controller.CloudController;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployCommandTest {

    @TempDir
    Path dir;

    final List<String> calls = new ArrayList<>();
    final ArtifactStatus rolling = new ArtifactStatus("shop", 1, 2, "ROLLING_OUT", 1, 3, List.of(
            new ArtifactVersion(2, "sha256:" + "b".repeat(64), 10, "upload", null, null, null, "2026-11-25T20:00:00Z", "ROLLING_OUT", ""),
            new ArtifactVersion(1, "sha256:" + "a".repeat(64), 10, "upload", null, null, null, "2026-11-25T19:00:00Z", "DEPLOYED", "")));

    /** The controller as the command sees it: only the artifact calls answer. */
    CloudController controller() {
        return (CloudController) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {CloudController.class}, (p, m, args) -> {
            switch (m.getName()) {
                case "deployArtifact" -> calls.add(args[1] instanceof InputStream in ? "upload " + new String(in.readAllBytes())
                        : "git " + ((GitArtifactSpec) args[1]).git() + " " + ((GitArtifactSpec) args[1]).ref());
                case "refreshArtifact" -> calls.add("refresh " + args[0]);
                default -> throw new UnsupportedOperationException(m.getName());
            }
            return rolling;
        });
    }

    private DeployCommand command() {
        DeployCommand command = new DeployCommand();
        command.controller = controller();
        command.alias = "shop";
        return command;
    }

    @Test
    void deploysAFileAGitRefOrARefresh() throws Exception {
        Files.writeString(dir.resolve("app.tar"), "tar bytes");
        DeployCommand file = command();
        file.file = dir.resolve("app.tar").toString();
        file.execute();
        DeployCommand git = command();
        git.git = "git://127.0.0.1/app.git";
        git.ref = "v2";
        git.execute();
        DeployCommand refresh = command();
        refresh.refresh = true;
        refresh.execute();

        assertThat(calls).containsExactly("upload tar bytes", "git git://127.0.0.1/app.git v2", "refresh shop");
    }

    @Test
    void needsExactlyOneSourceAndAnExistingFile() {
        DeployCommand none = command();
        assertThatThrownBy(none::execute).isInstanceOf(StratosException.class).hasMessageContaining("exactly one");
        DeployCommand both = command();
        both.file = "x.tar";
        both.git = "git://127.0.0.1/app.git";
        assertThatThrownBy(both::execute).hasMessageContaining("exactly one");
        DeployCommand missing = command();
        missing.file = dir.resolve("nope.tar").toString();
        assertThatThrownBy(missing::execute).hasMessageContaining("no file");
        assertThat(calls).isEmpty();
    }

    @Test
    void theSummarySaysWhatServesAndHowFarTheRolloutIs() {
        assertThat(ArtifactListCommand.summary(rolling))
                .isEqualTo("shop: version 1 serves; rollout ROLLING_OUT to version 2 (1 of 3 processes updated)");
        assertThat(ArtifactListCommand.summary(new ArtifactStatus("shop", 0, 0, "FAILED", 0, 2, List.of())))
                .isEqualTo("shop: the image's own content serves; rollout FAILED");
    }
}
