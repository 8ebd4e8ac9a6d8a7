package io.stratos.lxc.iaas.local;

import io.stratos.lxc.config.ConfigValues;
import io.stratos.lxc.api.net.Cidr;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** Settings of PID {@code io.stratos.lxc.iaas.local}. */
record LocalSettings(Path agentDistribution, Path vmsDirectory, int portRangeStart, int portsPerVm, int maxVms,
                     Path javaHome, String agentJavaOptions, NetworkMode network, String vmBridge, Cidr vmSubnet) {

    static final String PID = "io.stratos.lxc.iaas.local";

    /** How a local VM meets the network: a namespace of its own with its own address, or this host's (127.0.0.1). */
    enum NetworkMode { NAMESPACE, HOST }

    /** At most 10 characters, so that a VM's end of the bridge, {@code <bridge>-<slot>}, fits Linux's 15. */
    private static final Pattern BRIDGE = Pattern.compile("[a-z][a-z0-9]{0,9}");

    static LocalSettings from(ConfigValues values) {
        String home = System.getProperty("karaf.home", ".");
        String data = System.getProperty("karaf.data", "data");
        int start = values.port("portRangeStart", 20000);
        int perVm = values.integer("portsPerVm", 100, 2, 10_000);
        int max = values.integer("maxVms", 50, 1, 10_000);
        if ((long) start + (long) perVm * max - 1 > 65535) {
            max = values.problem("maxVms", String.valueOf(max),
                    "at most " + ((65536 - start) / perVm) + " so that every VM's port range ends below 65536",
                    Math.max(1, (65536 - start) / perVm));
        }
        NetworkMode network = values.enumValue("network", NetworkMode.class, NetworkMode.NAMESPACE);
        String bridge = values.string("vmBridge", "stratosvm0");
        if (!BRIDGE.matcher(bridge).matches()) {
            bridge = values.problem("vmBridge", bridge, "a bridge name of 1 to 10 lower-case letters and digits, starting with a letter",
                    "stratosvm0");
        }
        Cidr subnet = subnet(values);
        // The network address, the host's own (.1) and the broadcast address are no VM's.
        if (network == NetworkMode.NAMESPACE && subnet.size() - 3 < max) {
            max = values.problem("maxVms", String.valueOf(max), "at most " + (subnet.size() - 3) + ", the VM addresses vmSubnet "
                    + subnet + " holds (or a larger vmSubnet)", (int) Math.max(1, subnet.size() - 3));
        }
        return new LocalSettings(
                Path.of(values.string("agentDistribution", Path.of(home, "agent", "stratos-lxc-agent.tar.gz").toString())),
                Path.of(values.string("vmsDirectory", Path.of(data, "iaas-local").toString())),
                start, perVm, max,
                Path.of(values.string("javaHome", System.getProperty("java.home"))),
                values.string("agentJavaOptions", ""), network, bridge, subnet);
    }

    private static Cidr subnet(ConfigValues values) {
        Cidr fallback = Cidr.parse("10.214.0.0/24");
        String raw = values.string("vmSubnet", fallback.toString());
        try {
            Cidr subnet = Cidr.parse(raw);
            if (!(subnet.network() instanceof Inet4Address) || subnet.prefix() < 8 || subnet.prefix() > 29) {
                return values.problem("vmSubnet", raw, "an IPv4 range from /8 to /29 such as 10.214.0.0/24", fallback);
            }
            return subnet;
        } catch (IllegalArgumentException e) {
            return values.problem("vmSubnet", raw, "an IPv4 range such as 10.214.0.0/24 (" + e.getMessage() + ")", fallback);
        }
    }
}
