package io.stratos.lxc.agent.internal;

import io.stratos.lxc.api.net.Cidr;
import io.stratos.lxc.api.net.IpLiteral;

import io.stratos.lxc.agent.internal.lxc.LxcRuntime;
import io.stratos.lxc.agent.net.Subnet;
import io.stratos.lxc.config.ConfigValues;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The agent's settings: PID {@code io.stratos.lxc.agent}, each key overridable by an environment
 * variable {@code STRATOS_AGENT_<KEY>} (camelCase turned into UPPER_SNAKE), so an IaaS adapter can
 * start the same distribution on any VM through cloud-init or a plain process launch.
 */
record AgentSettings(String controllerUrl, String joinToken, String vmId, String partition,
                     int cpuMillis, int memoryMiB, String dataDir, int portRangeStart, int portRangeEnd,
                     List<String> runtimes, String network, String bridge, String bridgeSubnet, boolean unprivileged,
                     int imageCacheMiB, String dockerHost, String publishAddress, List<String> allowedSources) {

    static final String PID = "io.stratos.lxc.agent";
    static final String ENV_PREFIX = "STRATOS_AGENT_";
    static final List<String> KEYS = List.of("controllerUrl", "joinToken", "vmId", "partition", "cpuMillis",
            "memoryMiB", "dataDir", "portRangeStart", "portRangeEnd", "runtimes", "network", "bridge", "bridgeSubnet",
            "unprivileged", "imageCacheMiB", "dockerHost", "publishAddress", "allowedSources");
    static final List<String> NETWORKS = List.of("bridge", "host");
    static final List<String> KNOWN_RUNTIMES = List.of("lxc", "docker");

    static String envName(String key) {
        // "memoryMiB" reads better as MEMORY_MIB than MEMORY_MI_B.
        return ENV_PREFIX + key.replace("MiB", "Mib").replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    /** Config Admin values with the environment's overrides laid on top. */
    static Map<String, Object> merge(Map<String, ?> properties, Map<String, String> environment) {
        Map<String, Object> merged = new HashMap<>(properties == null ? Map.of() : properties);
        for (String key : KEYS) {
            String value = environment.get(envName(key));
            if (value != null && !value.isBlank()) {
                merged.put(key, value);
            }
        }
        return merged;
    }

    static AgentSettings from(ConfigValues values, String defaultVmId, String defaultDataDir) {
        int cores = Runtime.getRuntime().availableProcessors();
        String controllerUrl = values.string("controllerUrl", "http://127.0.0.1:8181/stratos");
        if (!controllerUrl.matches("https?://[^/\\s,]+(/[^\\s,]*)?(\\s*,\\s*https?://[^/\\s,]+(/[^\\s,]*)?)*")) {
            controllerUrl = values.problem("controllerUrl", controllerUrl, "an http(s) URL such as http://127.0.0.1:8181/stratos, "
                            + "or several separated by commas (controllers sharing one database)",
                    "http://127.0.0.1:8181/stratos");
        }
        int start = values.port("portRangeStart", 20000);
        int end = values.port("portRangeEnd", 20999);
        if (end < start) {
            end = values.problem("portRangeEnd", String.valueOf(end), "at least portRangeStart (" + start + ")", start);
        }
        List<String> runtimes = List.of(values.string("runtimes", "lxc,docker").split("\\s*,\\s*"));
        for (String runtime : runtimes) {
            if (!KNOWN_RUNTIMES.contains(runtime)) {
                runtimes = values.problem("runtimes", String.join(",", runtimes), "a list from " + KNOWN_RUNTIMES, KNOWN_RUNTIMES);
                break;
            }
        }
        String network = values.string("network", "bridge");
        if (!NETWORKS.contains(network)) {
            network = values.problem("network", network, "one of " + NETWORKS, "bridge");
        }
        String bridge = values.string("bridge", "stratosbr0");
        if (!bridge.matches("[A-Za-z0-9_.-]{1,15}")) {
            bridge = values.problem("bridge", bridge, "an interface name of 1 to 15 characters", "stratosbr0");
        }
        String bridgeSubnet = values.string("bridgeSubnet", "10.213.0.0/16");
        try {
            Subnet.parse(bridgeSubnet);
        } catch (RuntimeException e) {
            bridgeSubnet = values.problem("bridgeSubnet", bridgeSubnet, "an IPv4 CIDR range from /8 to /24 such as 10.213.0.0/16",
                    "10.213.0.0/16");
        }
        String dockerHost = values.string("dockerHost", "unix:///var/run/docker.sock");
        if (!dockerHost.matches("(unix|tcp)://\\S+")) {
            dockerHost = values.problem("dockerHost", dockerHost, "unix:///path or tcp://host:port", "unix:///var/run/docker.sock");
        }
        String publishAddress = publishAddress(values);
        List<String> allowedSources = allowedSources(values);
        return new AgentSettings(controllerUrl,
                values.string("joinToken", ""),
                values.string("vmId", defaultVmId),
                values.string("partition", ""),
                values.integer("cpuMillis", cores * 1000, 100, 1_000_000),
                values.integer("memoryMiB", 1024, 16, 16_777_216),
                values.string("dataDir", defaultDataDir),
                start, end, runtimes, network, bridge, bridgeSubnet,
                unprivileged(values),
                values.integer("imageCacheMiB", 10240, 16, 16_777_216),
                dockerHost, publishAddress, allowedSources);
    }

    /**
     * {@code publishAddress}: where every published port binds, an IP literal (never a name: a VM's address must not
     * hang on DNS) of one of this VM's unicast addresses. Empty (the default): the local address of the route to the
     * controller, chosen when the agent starts.
     */
    private static String publishAddress(ConfigValues values) {
        String raw = values.string("publishAddress", "");
        if (raw.isEmpty()) {
            return "";
        }
        String expected = "an IP address of this VM (unicast, not 0.0.0.0, ::, or a multicast address), or empty for the address "
                + "of the route to the controller";
        try {
            InetAddress address = IpLiteral.require(raw);
            if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
                return values.problem("publishAddress", raw, expected, "");
            }
            return IpLiteral.text(address);
        } catch (IllegalArgumentException e) {
            return values.problem("publishAddress", raw, expected, "");
        }
    }

    /** The first controller listed: where images come from and whose route picks the address processes are published on. */
    String firstControllerUrl() {
        return controllerUrl.split(",")[0].trim();
    }

    /** {@code allowedSources}: addresses and CIDR ranges, comma-separated; empty (the default) for the controller's. */
    private static List<String> allowedSources(ConfigValues values) {
        String raw = values.string("allowedSources", "");
        List<String> sources = new ArrayList<>();
        for (String entry : raw.split("\\s*,\\s*")) {
            if (entry.isBlank()) {
                continue;
            }
            try {
                sources.add(Cidr.parse(entry).toString());
            } catch (IllegalArgumentException e) {
                return values.problem("allowedSources", raw, "IP addresses or CIDR ranges separated by commas, such as "
                        + "10.240.0.1,10.0.8.0/24 (" + e.getMessage() + "), or empty for the controller's address", List.of());
            }
        }
        return List.copyOf(sources);
    }

    /**
     * {@code unprivileged}: {@code auto} (the default) means user-namespace containers whenever this host can run
     * them (root has a subordinate id range and the uidmap tools are there), privileged ones otherwise (and the
     * LXC runtime says so in its status); {@code true} insists, {@code false} opts out.
     */
    private static boolean unprivileged(ConfigValues values) {
        String value = values.string("unprivileged", "auto").trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "auto" -> LxcRuntime.userNamespacesAvailable();
            case "true" -> true;
            case "false" -> false;
            default -> values.problem("unprivileged", value, "auto, true or false", LxcRuntime.userNamespacesAvailable());
        };
    }

    /** Never logs the join token itself. */
    @Override
    public String toString() {
        return "vmId=" + vmId + ", partition=" + partition + ", controllerUrl=" + controllerUrl
                + ", joinToken=" + (joinToken.isEmpty() ? "(none)" : "(set)") + ", capacity=" + cpuMillis + "m/"
                + memoryMiB + "MiB, ports=" + portRangeStart + "-" + portRangeEnd + ", runtimes=" + runtimes
                + ", network=" + network + (network.equals("bridge") ? " (" + bridge + " " + bridgeSubnet + ")" : "")
                + ", unprivileged=" + unprivileged + ", imageCacheMiB=" + imageCacheMiB + ", dockerHost=" + dockerHost
                + ", dataDir=" + dataDir + ", publishAddress=" + (publishAddress.isEmpty() ? "(route to the controller)" : publishAddress)
                + ", allowedSources=" + (allowedSources.isEmpty() ? "(the controller's)" : allowedSources);
    }
}
