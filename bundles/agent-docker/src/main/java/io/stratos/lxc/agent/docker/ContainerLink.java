package io.stratos.lxc.agent.docker;

import io.stratos.lxc.agent.exec.Exec;
import io.stratos.lxc.agent.net.HostBridge;
import io.stratos.lxc.agent.net.Subnet;
import io.stratos.lxc.api.StratosException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Puts a Docker container (created with network "none") on the agent's own container bridge, the one LXC containers
 * use, as a CNI plugin would: a veth pair, one end on the bridge, the other moved into the container's network
 * namespace by its pid and given the address derived from the host port. Docker's own publishing (docker-proxy) binds
 * in dockerd's network namespace, which is not the VM's when the agent runs in a namespace of its own; this way the
 * agent publishes Docker processes exactly like LXC ones, through its proxy and source filter. The pair goes away with
 * the container's namespace, so a stopped container leaves nothing behind.
 */
final class ContainerLink {

    private static final long TOOL_TIMEOUT_MS = 10_000;

    private final HostBridge bridge;
    private final Exec exec;

    ContainerLink(HostBridge bridge, Exec exec) {
        this.bridge = bridge;
        this.exec = exec;
    }

    Subnet subnet() {
        return bridge.subnet();
    }

    /** The container's address on the bridge for its host port. */
    String addressFor(int hostPort) {
        return bridge.subnet().addressFor(hostPort);
    }

    /** Why linking cannot work here, or null: the tools, root, and dockerd's containers visible by pid. */
    static String missing() {
        for (String tool : List.of("ip", "nsenter")) {
            if (!Exec.onPath(tool)) {
                return tool + " not found: the Docker runtime puts containers on the agent's bridge with it (install iproute2 and util-linux)";
            }
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "the Docker runtime needs the agent to run as root (it puts each container on the agent's bridge)";
        }
        return null;
    }

    /** The host end's name: unique per VM because host ports are, and at most 15 characters. */
    static String hostEnd(int hostPort) {
        return "stratosd" + hostPort;
    }

    /** Links the running container (its init's pid) to the bridge; returns its address. */
    String attach(String containerName, long pid, int hostPort) {
        if (pid <= 0 || !Files.exists(Path.of("/proc", String.valueOf(pid), "ns", "net"))) {
            throw StratosException.unavailable("container " + containerName + " has no process the agent can see (pid " + pid
                    + "): it exited at once, or dockerd runs in another pid namespace", "dockerHost must be this VM's own dockerd");
        }
        bridge.ensure();
        String address = addressFor(hostPort);
        String host = hostEnd(hostPort);
        String peer = "stratosc" + hostPort;
        String ns = String.valueOf(pid);
        exec.run(TOOL_TIMEOUT_MS, "ip", "link", "del", host); // left by an agent that died halfway: ours, by its name
        List<List<String>> steps = List.of(
                List.of("ip", "link", "add", host, "type", "veth", "peer", "name", peer),
                List.of("ip", "link", "set", peer, "netns", ns),
                List.of("ip", "link", "set", host, "master", bridge.name(), "up"),
                List.of("nsenter", "-t", ns, "-n", "ip", "link", "set", peer, "name", "eth0", "address", Subnet.macFor(address)),
                List.of("nsenter", "-t", ns, "-n", "ip", "addr", "add", address + "/" + bridge.subnet().prefix(), "dev", "eth0"),
                List.of("nsenter", "-t", ns, "-n", "ip", "link", "set", "eth0", "up"),
                List.of("nsenter", "-t", ns, "-n", "ip", "link", "set", "lo", "up"),
                List.of("nsenter", "-t", ns, "-n", "ip", "route", "add", "default", "via", bridge.subnet().gateway()));
        for (List<String> step : steps) {
            Exec.Result result = exec.run(TOOL_TIMEOUT_MS, step);
            if (!result.ok()) {
                exec.run(TOOL_TIMEOUT_MS, "ip", "link", "del", host);
                throw StratosException.unavailable("cannot put container " + containerName + " on bridge " + bridge.name() + " ("
                        + String.join(" ", step) + "): " + result.output().trim(), "the agent must run as root");
            }
        }
        return address;
    }

    /** After an agent restart: the container's end lives on; its host end goes back on the bridge should that be new. */
    void reattach(int hostPort) {
        bridge.ensure();
        exec.run(TOOL_TIMEOUT_MS, "ip", "link", "set", hostEnd(hostPort), "master", bridge.name(), "up");
    }
}
