package io.stratos.lxc.agent.net;

import io.stratos.lxc.agent.exec.Exec;
import io.stratos.lxc.api.StratosException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge the agent's containers sit on (LXC with {@code network=bridge}, and every Docker container): made on first
 * use, removed when unused.
 */
public final class HostBridge {

    private static final Logger LOG = LoggerFactory.getLogger(HostBridge.class);
    private static final long TOOL_TIMEOUT_MS = 30_000;

    private final String name;
    private final Subnet subnet;
    private final Exec exec;

    public HostBridge(String name, Subnet subnet, Exec exec) {
        this.name = name;
        this.subnet = subnet;
        this.exec = exec;
    }

    public String name() {
        return name;
    }

    public Subnet subnet() {
        return subnet;
    }

    /** Creates the bridge unless it is there. One lock for every instance: the LXC and Docker runtimes share the bridge. */
    public void ensure() {
        synchronized (HostBridge.class) {
            create();
        }
    }

    private void create() {
        String bridge = name;
        if (exists()) {
            pinAddress(bridge);
            return;
        }
        String gateway = subnet.gateway() + "/" + subnet.prefix();
        for (List<String> command : List.of(List.of("ip", "link", "add", bridge, "type", "bridge"),
                addressCommand(bridge),
                List.of("ip", "addr", "add", gateway, "dev", bridge), List.of("ip", "link", "set", bridge, "up"))) {
            Exec.Result result = exec.run(TOOL_TIMEOUT_MS, command);
            if (!result.ok() && !result.output().contains("File exists")) {
                throw StratosException.unavailable("cannot create bridge " + bridge + " (" + String.join(" ", command) + "): "
                        + result.output(), "the agent must run as root; or set network=host");
            }
        }
        LOG.info("Created bridge {} with {}", bridge, gateway);
    }

    public boolean exists() {
        return Files.exists(Path.of("/sys/class/net", name));
    }

    public void remove() {
        exec.run(TOOL_TIMEOUT_MS, "ip", "link", "del", name);
    }

    /**
     * A bridge without an address of its own takes the lowest MAC of its ports, so it changes whenever
     * that container's veth goes: the other containers' ARP entries for the gateway then point at a MAC
     * nobody has, and their answers to the host are lost until they look it up again (seen as requests
     * stalled for a second or more right after a scale-in stopped other containers). A fixed address
     * (locally administered, derived from the gateway like the containers' own) never changes.
     */
    private List<String> addressCommand(String bridge) {
        return List.of("ip", "link", "set", bridge, "address", Subnet.macFor(subnet.gateway()));
    }

    /** A bridge made by an agent before its address was pinned gets it now (addr_assign_type 3: set by user). */
    private void pinAddress(String bridge) {
        try {
            if (Files.readString(Path.of("/sys/class/net", bridge, "addr_assign_type")).trim().equals("3")) {
                return;
            }
        } catch (IOException e) {
            return;
        }
        Exec.Result result = exec.run(TOOL_TIMEOUT_MS, addressCommand(bridge));
        if (result.ok()) {
            LOG.info("Bridge {} given the fixed address {}", bridge, Subnet.macFor(subnet.gateway()));
        } else {
            LOG.warn("Could not give bridge {} a fixed address: {}", bridge, result.output());
        }
    }
}
