package io.stratos.lxc.iaas.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalVmsTest {

    @TempDir
    Path dir;

    private static Properties read(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        }
        return properties;
    }

    @Test
    void eachVmGetsAShellUserWithItsOwnPasswordInAFileOnlyRootReads() throws IOException {
        Path first = dir.resolve("users-1.properties");
        Path second = Files.writeString(dir.resolve("users-2.properties"), "karaf = karaf,_g_:admingroup\n");
        LocalVms.writeShellUser(first);
        LocalVms.writeShellUser(second);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(second))).isEqualTo("rw-------");
        String one = read(first).getProperty("karaf");
        String two = read(second).getProperty("karaf");
        assertThat(one).matches("[A-Za-z0-9_-]{24},_g_:admingroup");
        assertThat(two).isNotEqualTo(one).doesNotStartWith("karaf,");
        // Karaf's group line: the escaped colon survives Properties parsing as "_g_:admingroup"
        assertThat(read(first).getProperty("_g_:admingroup")).contains("ssh", "admin");
    }

    @Test
    void theVmListShowsTheAgentPidAndItsShellAddress() {
        assertThat(LocalVms.adapterRef(4242, 20099)).isEqualTo("pid:4242 ssh:127.0.0.1:20099");
        assertThat(LocalVms.adapterRef(4242, 0)).isEqualTo("pid:4242");
    }

    @Test
    void aNewJoinTokenIsHandedToTheVmsAgentDataInAFileOnlyRootReads() throws IOException {
        LocalVms vms = new LocalVms(LocalSettings.from(io.stratos.lxc.api.config.ConfigValues.of("test",
                java.util.Map.of("vmsDirectory", dir.toString()))));
        assertThat(vms.handOverJoinToken(new io.stratos.lxc.api.iaas.VmRef("web-1", "pid:1"), "new-token")).isFalse();
        Files.createDirectories(dir.resolve("web-1"));

        assertThat(vms.handOverJoinToken(new io.stratos.lxc.api.iaas.VmRef("web-1", "pid:1"), "new-token")).isTrue();

        Path token = dir.resolve("web-1/agent-data/join-token");
        assertThat(Files.readString(token)).isEqualTo("new-token\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token))).isEqualTo("rw-------");
        try (var files = Files.list(token.getParent())) {
            assertThat(files).hasSize(1);
        }
    }
}
