package io.stratos.lxc.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentIdentityTest {

    @TempDir
    Path dataDir;

    final AtomicReference<String> configured = new AtomicReference<>("configured-token");

    @Test
    void theSecretIsKeptInTheDataDirectoryReadableByItsOwnerOnlyAndReadBackAfterARestart() throws Exception {
        AgentIdentity identity = new AgentIdentity(dataDir.resolve("agent"), configured::get);
        assertThat(identity.secret()).isNull();

        identity.keep("0123456789abcdef");

        Path file = dataDir.resolve("agent/agent-secret");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        // written to a temporary file and renamed: nothing else is left behind
        try (var files = Files.list(dataDir.resolve("agent"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("agent-secret");
        }
        assertThat(new AgentIdentity(dataDir.resolve("agent"), configured::get).secret()).isEqualTo("0123456789abcdef");

        identity.keep("fedcba9876543210");
        assertThat(identity.secret()).isEqualTo("fedcba9876543210");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aJoinTokenHandedOverInTheDataDirectoryComesBeforeTheConfiguredOne() throws Exception {
        AgentIdentity identity = new AgentIdentity(dataDir, configured::get);
        assertThat(identity.joinToken()).isEqualTo("configured-token");
        assertThat(identity.any()).isTrue();

        Files.writeString(dataDir.resolve("join-token"), "handed-over\n");
        assertThat(identity.joinToken()).isEqualTo("handed-over");
    }

    @Test
    void withoutATokenOrASecretTheAgentRunsStandalone() {
        configured.set("");
        AgentIdentity identity = new AgentIdentity(dataDir, configured::get);
        assertThat(identity.joinToken()).isNull();
        assertThat(identity.any()).isFalse();

        identity.keep("0123456789abcdef");
        assertThat(identity.any()).isTrue();
    }
}
