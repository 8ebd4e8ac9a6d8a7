package io.stratos.lxc.iaas.local;

import io.stratos.lxc.api.net.Cidr;
import io.stratos.lxc.net.Splice;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where namespaced local VMs reach the controller: the bridge's host address, on the controller's HTTP port, relayed
 * byte for byte to the controller on 127.0.0.1. Jetty binds its addresses when Karaf starts and cannot gain one that
 * the adapter makes later (the bridge) without restarting every connector, and the controller must not listen beyond
 * this host; a relay that lives exactly as long as the bridge does both. It accepts connections from the VMs' subnet
 * only. A handful of agents use it (registrations, reports, image copies): a thread per direction is plenty.
 */
final class ControllerRelay implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ControllerRelay.class);

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Cidr allowed;
    private final ExecutorService threads;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private ControllerRelay(ServerSocket server, InetSocketAddress target, Cidr allowed) {
        this.server = server;
        this.target = target;
        this.allowed = allowed;
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "stratos-local-relay-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Listens on {@code listen} and relays to {@code target}; an IOException says why it cannot listen. */
    static ControllerRelay open(InetSocketAddress listen, InetSocketAddress target, Cidr allowed) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        try {
            server.bind(listen, 64);
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen on " + listen.getAddress().getHostAddress() + ":" + listen.getPort()
                    + " for the local VMs: " + e.getMessage(), e);
        }
        ControllerRelay relay = new ControllerRelay(server, target, allowed);
        relay.threads.execute(relay::acceptLoop);
        LOG.info("Local VMs reach the controller at {}:{} (relayed to {})", listen.getAddress().getHostAddress(), listen.getPort(), target);
        return relay;
    }

    InetSocketAddress listening() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    private void acceptLoop() {
        Splice.serve(server, () -> closed, this::fromALocalVm,
                client -> threads.execute(() -> Splice.relay(client, target, 5_000, threads, open, () -> { })),
                e -> LOG.warn("The local VMs' relay to the controller stopped accepting: {}", e.getMessage()));
    }

    private boolean fromALocalVm(Socket client) {
        InetAddress source = client.getInetAddress();
        if (allowed.contains(source)) {
            return true;
        }
        LOG.debug("refused a connection from {}: not a local VM", source);
        return false;
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        open.forEach(socket -> Splice.close(socket, open));
        threads.shutdownNow();
    }
}
