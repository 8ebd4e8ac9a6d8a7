package io.stratos.lxc.agent.net;

import io.stratos.lxc.api.net.IpLiteral;
import io.stratos.lxc.net.Splice;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one container port on publishAddress:hostPort of the VM by copying bytes between the two sockets, for the
 * allowed sources only (a connection from anyone else is closed at once and counted by the {@link SourceFilter}).
 * Chosen over iptables DNAT: no host firewall state to leak or clean up (or to race with other users of
 * the host's tables), no {@code route_localnet} sysctl, a port clash shows up at bind time as a clear error,
 * and the agent sees connections in flight per process (an autoscaling signal).
 */
public final class TcpProxy implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(TcpProxy.class);

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final SourceFilter sources;
    private final String published;
    private final ExecutorService pool;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong accepted = new AtomicLong();
    private volatile boolean closed;

    private TcpProxy(ServerSocket server, InetSocketAddress target, SourceFilter sources, ExecutorService pool) {
        this.server = server;
        this.target = target;
        this.sources = sources;
        this.published = IpLiteral.endpoint(IpLiteral.text(server.getInetAddress()), server.getLocalPort());
        this.pool = pool;
    }

    /** Binds address:hostPort now (so a clash, or an address this VM does not have, fails here) and starts accepting. */
    public static TcpProxy open(InetAddress address, int hostPort, InetSocketAddress target, SourceFilter sources, ExecutorService pool)
            throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        try {
            server.bind(new InetSocketAddress(address, hostPort), 256);
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot publish " + IpLiteral.endpoint(IpLiteral.text(address), hostPort) + ": " + e.getMessage(), e);
        }
        TcpProxy proxy = new TcpProxy(server, target, sources, pool);
        pool.execute(proxy::acceptLoop);
        return proxy;
    }

    public int hostPort() {
        return server.getLocalPort();
    }

    /** {@code <address>:<hostPort>} it listens on. */
    public String published() {
        return published;
    }

    public InetSocketAddress target() {
        return target;
    }

    /** Connections open right now. */
    public int inFlight() {
        return inFlight.get();
    }

    public long accepted() {
        return accepted.get();
    }

    private void acceptLoop() {
        Splice.serve(server, () -> closed, this::allowed, this::relay,
                e -> LOG.warn("Proxy {} stopped accepting: {}", published, e.getMessage()));
    }

    private boolean allowed(Socket client) {
        if (sources.allows(client.getInetAddress())) {
            return true;
        }
        sources.refused(client.getInetAddress(), published);
        return false;
    }

    private void relay(Socket client) {
        accepted.incrementAndGet();
        inFlight.incrementAndGet();
        sockets.add(client);
        try {
            pool.execute(() -> Splice.relay(client, target, 5000, pool, sockets, inFlight::decrementAndGet));
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            Splice.close(client, sockets);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // nothing to do
        }
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (SocketException ignored) {
                // nothing to do
            } catch (IOException ignored) {
                // nothing to do
            }
        }
        sockets.clear();
    }
}
