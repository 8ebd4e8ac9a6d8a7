package io.stratos.lxc.iaas.hollow;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.iaas.VmRef;
import io.stratos.lxc.api.iaas.VmSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HollowSpoolTest {

    @TempDir
    Path dir;

    @Test
    void aCreatedVmIsOneLineWithItsJoinTokenForTheSimulatorAndADestroyedOneIsForgotten() throws Exception {
        Path file = dir.resolve("hollow/vms.spool");
        HollowSpool spool = new HollowSpool(file);
        spool.create(new VmSpec("p-1", "p", new Resources(2000, 2048), Map.of(), "http://127.0.0.1:1/stratos", "tok1"));
        spool.create(new VmSpec("p-2", "p", new Resources(2000, 2048), Map.of(), "http://127.0.0.1:1/stratos", "tok2"));
        spool.destroy(new VmRef("p-1", "hollow-p-1"));

        assertThat(Files.readAllLines(file)).containsExactly(
                "create p-1 tok1 http://127.0.0.1:1/stratos p 2000 2048",
                "create p-2 tok2 http://127.0.0.1:1/stratos p 2000 2048",
                "destroy p-1");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(spool.list()).containsExactly(new VmRef("p-2", "hollow-p-2"));
        // after a restart of the bundle, the same VMs are listed again
        assertThat(new HollowSpool(file).list()).containsExactly(new VmRef("p-2", "hollow-p-2"));
    }
}
