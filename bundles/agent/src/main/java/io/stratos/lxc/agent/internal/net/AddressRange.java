package io.stratos.lxc.agent.internal.net;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;

/**
 * One address or CIDR range, IPv4 or IPv6 ({@code 10.0.0.7}, {@code 10.240.0.0/16}, {@code fd00::/8}): the agent's one
 * matcher for "is this address in that range" (allowed sources, the container bridge's {@link
 * io.stratos.lxc.agent.internal.lxc.Subnet}). Literals only, parsed by Guava without any DNS lookup; the prefix test is
 * ours because neither the JDK nor Guava has one.
 */
public record AddressRange(InetAddress network, int prefix) {

    public AddressRange {
        network = masked(network, prefix);
    }

    /** An address ({@code /32} or {@code /128}) or a CIDR range; IllegalArgumentException saying what is wrong. */
    public static AddressRange parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        int slash = trimmed.indexOf('/');
        InetAddress address = literal(slash < 0 ? trimmed : trimmed.substring(0, slash));
        int max = address.getAddress().length * 8;
        if (slash < 0) {
            return new AddressRange(address, max);
        }
        int prefix;
        try {
            prefix = Integer.parseInt(trimmed.substring(slash + 1));
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException("'" + trimmed + "' has no prefix length from 0 to " + max);
        }
        return new AddressRange(address, prefix);
    }

    /** An IP address literal (never a host name: nothing is looked up); IllegalArgumentException otherwise. */
    public static InetAddress literal(String text) {
        String bare = text == null ? "" : text.trim();
        if (bare.startsWith("[") && bare.endsWith("]")) {
            bare = bare.substring(1, bare.length() - 1);
        }
        if (!InetAddresses.isInetAddress(bare)) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
        return InetAddresses.forString(bare);
    }

    public static AddressRange of(InetAddress address) {
        return new AddressRange(address, address.getAddress().length * 8);
    }

    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        byte[] net = network.getAddress();
        if (candidate.length != net.length) {
            return false;
        }
        return masked(address, prefix).equals(network);
    }

    private static InetAddress masked(InetAddress address, int prefix) {
        byte[] bytes = address.getAddress();
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            bytes[i] &= (byte) (0xFF << (8 - keep));
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen: 4 or 16 bytes
        }
    }

    /** How the address is written in a URL or an endpoint: IPv6 in brackets. */
    public static String hostForUrl(InetAddress address) {
        String text = InetAddresses.toAddrString(address);
        return address instanceof java.net.Inet6Address ? "[" + text + "]" : text;
    }

    @Override
    public String toString() {
        String text = InetAddresses.toAddrString(network);
        return prefix == network.getAddress().length * 8 ? text : text + "/" + prefix;
    }
}
