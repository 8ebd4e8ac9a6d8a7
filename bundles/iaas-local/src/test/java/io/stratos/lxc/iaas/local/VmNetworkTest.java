package io.stratos.lxc.iaas.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.api.net.Cidr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmNetworkTest {

    @TempDir
    Path dir;

    private final List<String> ran = new ArrayList<>();

    private Commands recording(String failing) {
        return command -> {
            String line = String.join(" ", command);
            ran.add(line);
            if (failing != null && line.startsWith(failing)) {
                throw new IOException(line + " failed: RTNETLINK answers: File exists");
            }
            return line.startsWith("ip -o -4 addr show") ? "5: stratosvm0    inet 10.214.0.1/24 scope global" : "";
        };
    }

    @Test
    void theHostHoldsTheSubnetsFirstAddressAndSlotNTheAddressAfterIt() {
        VmNetwork network = new VmNetwork("stratosvm0", Cidr.parse("10.214.0.0/24"), recording(null));

        assertThat(network.hostAddress()).isEqualTo("10.214.0.1");
        assertThat(network.addressOf(0)).isEqualTo("10.214.0.2");
        assertThat(network.addressOf(252)).isEqualTo("10.214.0.254");
        assertThat(VmNetwork.namespace("i-3f2a")).isEqualTo("stratos-i-3f2a");
        assertThat(network.hostEnd(49)).isEqualTo("stratosvm0-49").hasSizeLessThanOrEqualTo(15);
    }

    @Test
    void aVmGetsANamespaceWhoseEth0HasItsAddressAndRoutesThroughTheBridge() throws IOException {
        VmNetwork network = new VmNetwork("stratosvm0", Cidr.parse("10.214.0.0/24"), recording(null));

        String address = network.attach("i-1", 3, dir);

        assertThat(address).isEqualTo("10.214.0.5");
        assertThat(ran).containsSubsequence(
                "ip netns add stratos-i-1",
                "ip link add stratosvm0-3 type veth peer name eth0 netns stratos-i-1",
                "ip link set stratosvm0-3 master stratosvm0 up",
                "ip -n stratos-i-1 addr add 10.214.0.5/24 dev eth0",
                "ip -n stratos-i-1 link set eth0 up",
                "ip -n stratos-i-1 route add default via 10.214.0.1");
        assertThat(Files.readString(dir.resolve(VmNetwork.REMOVE_SCRIPT)))
                .contains("ip link del stratosvm0-3", "ip netns del stratos-i-1", "show master stratosvm0");
    }

    @Test
    void aVmWhoseNetworkCannotBeMadeLeavesNothingBehind() {
        VmNetwork network = new VmNetwork("stratosvm0", Cidr.parse("10.214.0.0/24"), recording("ip link add stratosvm0-3"));

        assertThatThrownBy(() -> network.attach("i-1", 3, dir)).hasMessageContaining("File exists");

        assertThat(ran.get(ran.size() - 1)).isEqualTo(dir.resolve(VmNetwork.REMOVE_SCRIPT).toString());
    }

    @Test
    void theBridgeStaysWhileAVmIsOnIt() {
        List<String> removed = new ArrayList<>();
        Commands withAPort = command -> {
            String line = String.join(" ", command);
            if (line.startsWith("ip link del")) {
                removed.add(line);
            }
            return line.contains("master") ? "7: stratosvm0-0@if2: <BROADCAST> master stratosvm0" : "6: stratosvm0: <BROADCAST>";
        };
        assertThat(new VmNetwork("stratosvm0", Cidr.parse("10.214.0.0/24"), withAPort).removeBridgeIfUnused()).isFalse();
        assertThat(removed).isEmpty();

        Commands empty = command -> String.join(" ", command).contains("master") ? "" : "6: stratosvm0: <BROADCAST>";
        assertThat(new VmNetwork("stratosvm0", Cidr.parse("10.214.0.0/24"), empty).removeBridgeIfUnused()).isTrue();
    }

    @Test
    void insideAVmCommandsSeeItsNetworkAndThisHostsCgroups() {
        assertThat(VmNetwork.inVmScript("i-1")).contains("nsenter --net=/run/netns/stratos-i-1", "unshare --mount",
                "mount -t sysfs sysfs /sys", "/sys/fs/cgroup");
    }
}
