package io.stratos.lxc.git.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.status.ComponentState;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service as configured through Config Admin (PID io.stratos.lxc.git). */
class GitComponentTest {

    @TempDir
    Path temp;

    @Test
    void theDefaultsAllowTheNetworkSchemesButNotFile() {
        GitSettings settings = GitSettings.from(GitSettings.read(Map.of()));
        assertThat(settings.allowedSchemes()).containsExactlyInAnyOrder("https", "http", "git", "ssh");
        assertThat(settings.timeoutSeconds()).isEqualTo(60);
        assertThat(settings.workDir().toString()).endsWith("stratos/git");
    }

    @Test
    void theSchemesAreACommaSeparatedList() {
        GitSettings settings = GitSettings.from(GitSettings.read(Map.of("allowedSchemes", "HTTPS, file")));
        assertThat(settings.allowedSchemes()).containsExactlyInAnyOrder("https", "file");
    }

    @Test
    void aBadValueShowsTheComponentUnconfiguredNamingTheKeyAndKeepsTheLastGoodSettings() {
        GitComponent component = new GitComponent();
        component.configure(Map.of("allowedSchemes", "https", "workDir", temp.toString()));
        assertThat(component.componentStatus().state()).isEqualTo(ComponentState.ACTIVE);

        component.configure(Map.of("allowedSchemes", "https, gopher", "timeoutSeconds", "soon"));

        assertThat(component.componentStatus().state()).isEqualTo(ComponentState.UNCONFIGURED);
        assertThat(component.componentStatus().detail()).contains("allowedSchemes").contains("gopher")
                .contains("timeoutSeconds");
        // still only https, as before the bad value
        assertThatThrownBy(() -> component.snapshot("git://127.0.0.1:1/x", "main", new ByteArrayOutputStream(), 1000))
                .isInstanceOfSatisfying(StratosException.class, e -> assertThat(e.hint()).contains("[https]"));

        component.configure(Map.of("allowedSchemes", "git", "workDir", temp.toString()));
        assertThat(component.componentStatus().state()).isEqualTo(ComponentState.ACTIVE);
        assertThat(component.componentStatus().detail()).contains("[git]");
    }

    @Test
    void fetchesLeftBehindByACrashAreRemovedOnStart() throws Exception {
        Path leftover = Files.createDirectories(temp.resolve(RepositorySnapshot.TEMP_PREFIX + "123/objects"));
        Path other = Files.createDirectories(temp.resolve("keep"));
        new GitComponent().configure(Map.of("workDir", temp.toString()));
        assertThat(leftover.getParent()).doesNotExist();
        assertThat(other).exists();
    }
}
