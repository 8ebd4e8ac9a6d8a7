package io.stratos.lxc.agent.net;

import io.stratos.lxc.api.net.Cidr;
import io.stratos.lxc.api.net.IpLiteral;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where this VM publishes its processes and to whom: the {@code publishAddress} every published port binds (by default
 * the local address of the route to the controller, the address the controller and the routers reach this VM at), and
 * the {@link SourceFilter} of allowed sources. Says what is wrong when the address cannot be bound here, so the agent
 * reports it (the VM shows DEGRADED with it) instead of failing process after process.
 */
public final class Publishing {

    private static final Logger LOG = LoggerFactory.getLogger(Publishing.class);
    private static final long RECHECK_NANOS = 1_000_000_000L;
    private static final List<Cidr> LOOPBACK = List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1"));

    private final InetAddress address;
    private final boolean chosen;
    private final List<Cidr> configuredSources;
    private final String controllerHost;
    private final SourceFilter filter;
    private volatile List<Cidr> fromController = List.of();
    private volatile String choiceProblem;
    private volatile String bindProblem;
    private volatile long checkedAtNanos;

    private Publishing(InetAddress address, boolean chosen, String choiceProblem, List<Cidr> configuredSources,
                       String controllerHost) {
        this.address = address;
        this.chosen = chosen;
        this.choiceProblem = choiceProblem;
        this.configuredSources = List.copyOf(configuredSources);
        this.controllerHost = controllerHost;
        this.filter = new SourceFilter(List.of());
        filter.allow(sources());
    }

    /**
     * @param publishAddress    an IP literal, or empty for the local address of the route to the controller
     * @param allowedSources    addresses and CIDR ranges; empty for the controller (and whom it names) only
     * @param controllerUrl     the controller's URL, whose host is an allowed source by default
     */
    public static Publishing of(String publishAddress, List<String> allowedSources, String controllerUrl) {
        // several controllers (comma-separated, sharing one database): the route to the first picks the address, and
        // every one's host is a default source (whichever is active, its router reaches the processes)
        String[] urls = controllerUrl.split(",");
        URI url = URI.create(urls[0].trim());
        String host = url.getHost();
        StringBuilder hosts = new StringBuilder(host == null ? "" : host);
        for (int i = 1; i < urls.length; i++) {
            String other = URI.create(urls[i].trim()).getHost();
            if (other != null) {
                hosts.append(',').append(other);
            }
        }
        host = hosts.toString();
        int port = url.getPort() > 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
        List<Cidr> sources = allowedSources.stream().map(Cidr::parse).toList();
        if (publishAddress != null && !publishAddress.isBlank()) {
            return new Publishing(IpLiteral.require(publishAddress), false, null, sources, host);
        }
        try {
            return new Publishing(routeTo(url.getHost(), port), true, null, sources, host);
        } catch (IOException e) {
            String problem = "cannot choose the address to publish processes on: no route to the controller at " + host + ":" + port
                    + " (" + e.getMessage() + "); publishing on 127.0.0.1, which only this VM reaches: set STRATOS_AGENT_PUBLISH_ADDRESS "
                    + "(publishAddress) to this VM's address";
            LOG.error(problem);
            return new Publishing(InetAddress.getLoopbackAddress(), true, problem, sources, host);
        }
    }

    /** Publishing on 127.0.0.1 to this VM only (tests, and runtimes built without the agent's settings). */
    public static Publishing loopback() {
        return new Publishing(InetAddress.getLoopbackAddress(), false, null, List.of(), null);
    }

    /**
     * The local address the kernel picks to reach the controller: a connected UDP socket (which sends nothing) asks the
     * routing table, so multi-homed VMs get the address on the controller's side.
     */
    static InetAddress routeTo(String host, int port) throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(new InetSocketAddress(host, port));
            InetAddress local = socket.getLocalAddress();
            if (local == null || local.isAnyLocalAddress()) {
                throw new IOException("the kernel has no source address for it");
            }
            return local;
        } catch (SocketException | IllegalArgumentException e) {
            throw new IOException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }

    public InetAddress address() {
        return address;
    }

    /** The address as the agent reports it ({@code 10.240.0.5}, {@code fd00::5}). */
    public String addressText() {
        return IpLiteral.text(address);
    }

    /** Whether the address was chosen from the route to the controller rather than configured. */
    public boolean chosen() {
        return chosen;
    }

    /** {@code <address>:<port>}, IPv6 in brackets. */
    public String endpoint(int port) {
        return IpLiteral.endpoint(IpLiteral.text(address), port);
    }

    public SourceFilter filter() {
        return filter;
    }

    /** The sources the controller named at registration (the routers), on top of the defaults. */
    public void controllerAllows(List<String> sources) {
        List<Cidr> parsed = new ArrayList<>();
        for (String source : sources == null ? List.<String>of() : sources) {
            try {
                parsed.add(Cidr.parse(source));
            } catch (IllegalArgumentException e) {
                LOG.warn("The controller named an allowed source that is not an address or CIDR range, ignored: {}", e.getMessage());
            }
        }
        fromController = List.copyOf(parsed);
        filter.allow(sources());
        LOG.info("Published ports accept connections from {}", filter.allowed());
    }

    /**
     * Configured sources replace the default (the controller's addresses and the ones it names); this VM's own addresses
     * (the publish address, loopback) are always allowed, so that the agent's health checks reach its processes.
     */
    private List<Cidr> sources() {
        Set<Cidr> all = new LinkedHashSet<>();
        if (!configuredSources.isEmpty()) {
            all.addAll(configuredSources);
        } else {
            all.addAll(controllerAddresses());
            all.addAll(fromController);
        }
        all.add(Cidr.of(address));
        all.addAll(LOOPBACK);
        return List.copyOf(all);
    }

    private List<Cidr> controllerAddresses() {
        if (controllerHost == null) {
            return List.of();
        }
        try {
            List<Cidr> found = new ArrayList<>();
            for (String one : controllerHost.split(",")) {
                for (InetAddress a : InetAddress.getAllByName(one)) {
                    found.add(Cidr.of(a));
                }
            }
            return found;
        } catch (IOException e) {
            LOG.warn("Cannot resolve the controller's host {} to allow its connections: {}", controllerHost, e.getMessage());
            return List.of();
        }
    }

    /**
     * What keeps this VM from publishing, or null: the address could not be chosen, or it cannot be bound here. Checked
     * again at most once a second while there is a problem, so the problem goes once the address appears.
     */
    public String problem() {
        if (choiceProblem != null) {
            return choiceProblem;
        }
        if (bindProblem != null && System.nanoTime() - checkedAtNanos >= RECHECK_NANOS) {
            check();
        }
        return bindProblem;
    }

    /** Test-binds the address (any port): at startup, and whenever publishing a port failed. */
    public String check() {
        checkedAtNanos = System.nanoTime();
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(address, 0));
            if (bindProblem != null) {
                LOG.info("The publish address {} can be bound again", addressText());
            }
            bindProblem = null;
        } catch (IOException e) {
            String problem = "publishAddress " + addressText() + " cannot be bound on this VM (" + e.getMessage()
                    + "): set STRATOS_AGENT_PUBLISH_ADDRESS (publishAddress) to one of its addresses " + localAddresses();
            if (!problem.equals(bindProblem)) {
                LOG.error(problem);
            }
            bindProblem = problem;
        }
        return bindProblem;
    }

    /** After a published port failed to open: was it the address (then the report says so) rather than the port? */
    public void publishFailed() {
        check();
    }

    /** This VM's unicast addresses, to name in the problem (IPv4 first). */
    static List<String> localAddresses() {
        List<String> found = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (!a.isLoopbackAddress() && !a.isLinkLocalAddress() && !a.isMulticastAddress()) {
                        found.add(IpLiteral.text(a));
                    }
                }
            }
        } catch (SocketException e) {
            // none to name
        }
        found.sort((a, b) -> Boolean.compare(a.contains(":"), b.contains(":")));
        return found;
    }

    @Override
    public String toString() {
        return addressText() + (chosen ? " (route to the controller)" : "") + ", sources " + filter.allowed();
    }
}
