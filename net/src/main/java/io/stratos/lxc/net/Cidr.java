package io.stratos.lxc.net;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * A range of addresses, {@code 10.214.0.0/24} or {@code fd00::/64}; a single address is its own /32 or /128. Neither
 * the JDK nor Guava has one, and the controller, the agents and the local adapter all need the same.
 *
 * @param network the range's first address (host bits cleared)
 */
public record Cidr(InetAddress network, int prefix) {

    /** @throws IllegalArgumentException naming what is wrong, when the text is not an address or a CIDR range */
    public static Cidr parse(String text) {
        String s = text == null ? "" : text.trim();
        int slash = s.indexOf('/');
        InetAddress address = IpLiteral.parse(slash < 0 ? s : s.substring(0, slash))
                .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not an IP address or CIDR range such as 10.214.0.0/24"));
        int bits = address.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("'" + text + "': the prefix length must be 0 to " + bits);
            }
        }
        try {
            return new Cidr(InetAddress.getByAddress(mask(address.getAddress(), prefix)), prefix);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address", e);
        }
    }

    /** The range of one address: {@code /32} or {@code /128}. */
    public static Cidr of(InetAddress address) {
        return new Cidr(address, address.getAddress().length * 8);
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == network.getAddress().length && Arrays.equals(mask(bytes, prefix), network.getAddress());
    }

    /** How many addresses the range holds (capped at Long.MAX_VALUE for large IPv6 ranges). */
    public long size() {
        int hostBits = network.getAddress().length * 8 - prefix;
        return hostBits >= 63 ? Long.MAX_VALUE : 1L << hostBits;
    }

    /** The range's address number {@code index}: 0 is the network address itself. */
    public InetAddress address(long index) {
        if (index < 0 || index >= size()) {
            throw new IllegalArgumentException(this + " has no address number " + index + " (it holds " + size() + ")");
        }
        byte[] bytes = network.getAddress();
        long carry = index;
        for (int i = bytes.length - 1; i >= 0 && carry != 0; i--) {
            long sum = (bytes[i] & 0xff) + (carry & 0xff);
            bytes[i] = (byte) sum;
            carry = (carry >>> 8) + (sum >>> 8);
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes: cannot happen
        }
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] masked = bytes.clone();
        for (int i = 0; i < masked.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            masked[i] &= (byte) (0xff << (8 - keep));
        }
        return masked;
    }

    /** {@code 10.214.0.0/24}; a single address without its prefix, as it was most likely written. */
    @Override
    public String toString() {
        String address = IpLiteral.text(network);
        return prefix == network.getAddress().length * 8 ? address : address + "/" + prefix;
    }
}
