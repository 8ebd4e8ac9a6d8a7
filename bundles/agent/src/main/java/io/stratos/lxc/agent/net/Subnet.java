package io.stratos.lxc.agent.net;

import io.stratos.lxc.api.net.Cidr;

import io.stratos.lxc.api.StratosException;
import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * An IPv4 range in CIDR form for the agent's bridge: the first host address is the bridge (gateway), each
 * container gets {@code network + (hostPort mod size)}. Host ports are unique on the VM, so the address is
 * unique too, needs no bookkeeping, and is the same again when a restarted agent re-adopts the container.
 */
public record Subnet(int network, int prefix) {

    public static Subnet parse(String cidr) {
        Cidr range;
        try {
            range = cidr != null && cidr.contains("/") ? Cidr.parse(cidr) : null;
        } catch (IllegalArgumentException e) {
            range = null;
        }
        if (range == null || !(range.network() instanceof Inet4Address) || range.prefix() < 8 || range.prefix() > 24) {
            throw StratosException.invalid("bridgeSubnet", "'" + cidr + "' is not an IPv4 CIDR range with a prefix from /8 to /24",
                    "e.g. 10.213.0.0/16");
        }
        return new Subnet(ByteBuffer.wrap(range.network().getAddress()).getInt(), range.prefix());
    }

    public long size() {
        return 1L << (32 - prefix);
    }

    public String gateway() {
        return format(network + 1);
    }

    /** Whether the host port maps to a container address (not the network, the bridge or the broadcast address). */
    public boolean maps(int hostPort) {
        long offset = hostPort % size();
        return offset >= 2 && offset != size() - 1;
    }

    /** The container address for a host port. */
    public String addressFor(int hostPort) {
        long offset = hostPort % size();
        if (!maps(hostPort)) {
            throw StratosException.invalid("hostPort", "host port " + hostPort + " maps to a reserved address of " + this,
                    "use a wider bridgeSubnet (a /16 maps every port) or another port range");
        }
        return format((int) (network + offset));
    }

    /**
     * The MAC for a container address: locally administered ({@code 02:}), then a fixed byte and the four
     * address bytes, as Docker does. A container restarted at the same address keeps its MAC, so the host's
     * neighbour entry for it stays right; a random MAC per start left the host sending to the dead container's
     * MAC until that entry expired (up to 45 s), and the restarted process looked unreachable meanwhile.
     */
    public static String macFor(String address) {
        StringBuilder mac = new StringBuilder("02:53");
        for (String octet : address.split("\\.")) {
            mac.append(':').append(String.format("%02x", Integer.parseInt(octet)));
        }
        return mac.toString();
    }

    static String format(int address) {
        return ((address >>> 24) & 255) + "." + ((address >>> 16) & 255) + "." + ((address >>> 8) & 255) + "." + (address & 255);
    }

    @Override
    public String toString() {
        return format(network) + "/" + prefix;
    }
}
