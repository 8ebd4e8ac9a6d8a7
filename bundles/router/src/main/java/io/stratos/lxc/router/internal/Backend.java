package io.stratos.lxc.router.internal;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One place requests of an alias can go: a RUNNING process at an address. It lives as long as the
 * process keeps that address, across refreshes of the alias's backend list, so that its in-flight
 * count and down mark survive them.
 */
final class Backend {

    private final String processId;
    private final String host;
    private final int port;
    private final URI base;
    /** Where to connect: resolved once when the host is an address, so that no connect looks it up again. */
    private final InetSocketAddress address;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile long downUntilNanos;
    private volatile boolean down;
    /** The process is leaving (draining before its stop): no new request may begin on it. */
    private volatile boolean retired;
    /** When {@link #retire()} was first called (System.nanoTime), for the drain timeout of upgraded connections. */
    private volatile long retiredAtNanos;

    /** The backend at {@code host:port} or {@code [v6]:port}, or null when the endpoint is missing or not of that form. */
    static Backend at(String processId, String endpoint) {
        if (endpoint == null) {
            return null;
        }
        int colon = endpoint.lastIndexOf(':');
        if (colon <= 0 || colon == endpoint.length() - 1) {
            return null;
        }
        String host = endpoint.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(endpoint.substring(colon + 1));
            return port > 0 && port < 65536 && !host.isEmpty() ? new Backend(processId, host, port) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    Backend(String processId, String host, int port) {
        this.processId = processId;
        this.host = host;
        this.port = port;
        this.base = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
        InetSocketAddress resolved;
        try {
            resolved = literal == null ? InetSocketAddress.createUnresolved(host, port)
                    : new InetSocketAddress(InetAddress.getByAddress(literal), port);
        } catch (UnknownHostException e) {
            resolved = InetSocketAddress.createUnresolved(host, port);
        }
        this.address = resolved;
    }

    /** The socket address to connect to (unresolved for a host name: Netty's resolver looks it up). */
    InetSocketAddress address() {
        return address;
    }

    String processId() {
        return processId;
    }

    /** The identity across refreshes: the same process at the same address. */
    String key() {
        return processId + "@" + host + ":" + port;
    }

    /** {@code http://host:port}, to which the request's path and query are appended. */
    URI base() {
        return base;
    }

    int inFlight() {
        return inFlight.get();
    }

    /**
     * Begins a request unless the process is retired. The count goes up before the flag is read, and
     * {@link #retire()} sets the flag before the drain reads the count: so either this request sees
     * the flag and does not go, or the drain sees it in flight.
     */
    boolean tryBegin() {
        inFlight.incrementAndGet();
        if (retired) {
            inFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    void retire() {
        if (!retired) {
            retiredAtNanos = System.nanoTime();
        }
        retired = true;
    }

    /** Nanos since the process was retired (0 when it is not). */
    long retiredForNanos(long nowNanos) {
        return retired ? nowNanos - retiredAtNanos : 0;
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    boolean retired() {
        return retired;
    }

    void end() {
        inFlight.decrementAndGet();
    }

    boolean isDown(long nowNanos) {
        return down && nowNanos - downUntilNanos < 0;
    }

    void markDown(long nowNanos, long forNanos) {
        downUntilNanos = nowNanos + forNanos;
        down = forNanos > 0;
    }

    void markUp() {
        down = false;
    }

    @Override
    public String toString() {
        return processId + " at " + base;
    }
}
