package io.stratos.lxc.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IP address literals as the agents, the controller and the routers exchange them: parsed without ever asking DNS
 * (an address that arrives in a registration must not make the controller resolve names), and judged as a VM address.
 * Neither the JDK nor a library this project already uses parses a literal without a lookup path, hence these few lines.
 */
public final class IpLiteral {

    private static final Pattern V4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private IpLiteral() {
    }

    /** The address this literal names, or empty when it is not exactly an IPv4 or IPv6 literal (a host name, spaces, garbage). */
    public static Optional<InetAddress> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text;
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        boolean v4 = V4.matcher(s).matches();
        if (!v4 && !(s.contains(":") && V6.matcher(s).matches())) {
            return Optional.empty();
        }
        try {
            // Only a literal reaches here, which getByName parses without a lookup.
            return Optional.of(InetAddress.getByName(s));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** The address as RFC 5952 writes it: {@code fd00::5}, not the JDK's {@code fd00:0:0:0:0:0:0:5}. */
    public static String text(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return address.getHostAddress();
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not shortened
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    /** The address a configured literal names (spaces around it ignored); IllegalArgumentException when it is not one. */
    public static InetAddress require(String text) {
        return parse(text == null ? null : text.trim())
                .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not an IP address"));
    }

    /**
     * Why this address cannot be where a VM publishes its processes (the wildcard, multicast, broadcast), or null when
     * it can. Loopback is a valid unicast address; whether it may be used is the caller's decision.
     */
    public static String notUnicast(InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return "the wildcard address " + address.getHostAddress() + " names no host";
        }
        if (address.isMulticastAddress()) {
            return address.getHostAddress() + " is a multicast address";
        }
        if (address instanceof Inet4Address && address.getHostAddress().equals("255.255.255.255")) {
            return "255.255.255.255 is the broadcast address";
        }
        return null;
    }

    /** {@code host:port}, with the brackets an IPv6 literal needs. */
    public static String endpoint(String address, int port) {
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    }
}
