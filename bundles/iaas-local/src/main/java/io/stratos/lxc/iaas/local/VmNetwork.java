package io.stratos.lxc.iaas.local;

import io.stratos.lxc.api.net.Cidr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The network side of namespaced local VMs, made with iproute2 as an operator would by hand: a host bridge holding the
 * subnet's first address (this host's, where agents reach the controller), and per VM a network namespace
 * {@code stratos-<vmId>} joined to the bridge by a veth pair: {@code <bridge>-<slot>} on the host, {@code eth0} with
 * the slot's own address inside. Removal is a script in the VM's directory, so that {@code ./stratos down --vms}
 * removes exactly what the adapter would when the controller is not running.
 */
final class VmNetwork {

    static final String NAMESPACE_PREFIX = "stratos-";

    private final String bridge;
    private final Cidr subnet;
    private final Commands commands;

    VmNetwork(String bridge, Cidr subnet, Commands commands) {
        this.bridge = bridge;
        this.subnet = subnet;
        this.commands = commands;
    }

    String bridge() {
        return bridge;
    }

    Cidr subnet() {
        return subnet;
    }

    /** This host's address on the bridge: the VMs' default gateway and where they reach the controller. */
    String hostAddress() {
        return subnet.address(1).getHostAddress();
    }

    /** Slot n's address: the subnet's address n + 2 (after the network address and the host's). */
    String addressOf(int slot) {
        return subnet.address(slot + 2L).getHostAddress();
    }

    static String namespace(String vmId) {
        return NAMESPACE_PREFIX + vmId;
    }

    String hostEnd(int slot) {
        return bridge + "-" + slot;
    }

    /** Makes the bridge with the host's address, or completes one left half-made. */
    synchronized void ensureBridge() throws IOException {
        if (commands.quietly("ip", "-o", "link", "show", "dev", bridge).isBlank()) {
            commands.run("ip", "link", "add", bridge, "type", "bridge");
        }
        if (!commands.run("ip", "-o", "-4", "addr", "show", "dev", bridge).contains(" " + hostAddress() + "/")) {
            commands.run("ip", "addr", "add", hostAddress() + "/" + subnet.prefix(), "dev", bridge);
        }
        commands.run("ip", "link", "set", bridge, "up");
    }

    /** Gives the VM its namespace, joined to the bridge; returns its address. Leaves nothing behind when it fails. */
    synchronized String attach(String vmId, int slot, Path vmDirectory) throws IOException {
        ensureBridge();
        String ns = namespace(vmId);
        String address = addressOf(slot);
        writeRemovalScript(vmId, slot, vmDirectory);
        commands.quietly("ip", "link", "del", hostEnd(slot)); // a leftover of a VM that had this slot
        commands.quietly("ip", "netns", "del", ns);
        try {
            commands.run("ip", "netns", "add", ns);
            commands.run("ip", "link", "add", hostEnd(slot), "type", "veth", "peer", "name", "eth0", "netns", ns);
            commands.run("ip", "link", "set", hostEnd(slot), "master", bridge, "up");
            commands.run("ip", "-n", ns, "addr", "add", address + "/" + subnet.prefix(), "dev", "eth0");
            commands.run("ip", "-n", ns, "link", "set", "lo", "up");
            commands.run("ip", "-n", ns, "link", "set", "eth0", "up");
            commands.run("ip", "-n", ns, "route", "add", "default", "via", hostAddress());
        } catch (IOException e) {
            detach(commands, vmDirectory);
            throw e;
        }
        return address;
    }

    /** Removes the VM's namespace and its end of the bridge, and the bridge once no VM is on it. */
    static void detach(Commands commands, Path vmDirectory) {
        Path script = vmDirectory.resolve(REMOVE_SCRIPT);
        if (Files.isExecutable(script)) {
            commands.quietly(script.toString());
        }
    }

    /** Removes the bridge when no VM is on it; whether it is gone. */
    synchronized boolean removeBridgeIfUnused() {
        if (commands.quietly("ip", "-o", "link", "show", "dev", bridge).isBlank()) {
            return true;
        }
        if (!commands.quietly("ip", "-o", "link", "show", "master", bridge).isBlank()) {
            return false;
        }
        commands.quietly("ip", "link", "del", bridge);
        return true;
    }

    static final String REMOVE_SCRIPT = "remove-network";
    static final String IN_VM_SCRIPT = "in-vm";

    private void writeRemovalScript(String vmId, int slot, Path vmDirectory) throws IOException {
        LocalVms.writeScript(vmDirectory.resolve(REMOVE_SCRIPT), """
                #!/bin/sh
                # Removes this local VM's network: its namespace and its end of the bridge, then the bridge once no VM is
                # on it (written by the local IaaS adapter, which runs it when it destroys the VM; ./stratos down --vms too).
                ip link del %2$s 2>/dev/null
                ip netns del %1$s 2>/dev/null
                if ip -o link show dev %3$s >/dev/null 2>&1 && [ -z "$(ip -o link show master %3$s 2>/dev/null)" ]; then
                  ip link del %3$s 2>/dev/null
                fi
                exit 0
                """.formatted(namespace(vmId), hostEnd(slot), bridge));
    }

    /**
     * Runs a command inside the VM: in its network namespace, with a /sys of that namespace (LXC reads its bridge
     * there) that still holds this host's cgroup mounts (LXC limits and measures containers there). {@code ip netns
     * exec} would mount a fresh /sys without the cgroups; this keeps them, in a mount namespace of the VM's own.
     */
    static String inVmScript(String vmId) {
        return """
                #!/bin/sh
                # Runs a command inside this local VM: its network namespace %1$s, with a /sys showing that
                # namespace's devices and this host's cgroups (written by the local IaaS adapter).
                exec nsenter --net=/run/netns/%1$s unshare --mount --propagation slave /bin/sh -c '
                  t=$(mktemp -d /run/stratos-cgroup.XXXXXX) || exit 1
                  mount --rbind /sys/fs/cgroup "$t" && mount -t sysfs sysfs /sys && mount --move "$t" /sys/fs/cgroup || exit 1
                  rmdir "$t"
                  exec "$@"' in-vm "$@"
                """.formatted(namespace(vmId));
    }

    /** The script of a VM on this host's own network: the command as it is. */
    static final String IN_HOST_SCRIPT = """
            #!/bin/sh
            # Runs a command inside this local VM, which has this host's network (network = host).
            exec "$@"
            """;

    /** Why network namespaces cannot be made here, or null when they can (tried for real: a namespace made and removed). */
    static String whyNot(Commands commands) {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "the controller does not run as root";
        }
        for (String tool : List.of("ip", "nsenter", "unshare")) {
            try {
                commands.run("sh", "-c", "command -v " + tool);
            } catch (IOException e) {
                return tool + " is not installed (iproute2, util-linux)";
            }
        }
        String probe = NAMESPACE_PREFIX + "probe-" + ProcessHandle.current().pid();
        try {
            commands.run("ip", "netns", "add", probe);
            return null;
        } catch (IOException e) {
            return e.getMessage();
        } finally {
            commands.quietly("ip", "netns", "del", probe);
        }
    }
}
