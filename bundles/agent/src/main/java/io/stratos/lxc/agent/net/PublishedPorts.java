package io.stratos.lxc.agent.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The published ports of one runtime's processes: a {@link TcpProxy} per process from the VM's publish address and
 * the process's host port to the container's address, sharing one thread pool. Both runtimes publish this way.
 */
public final class PublishedPorts implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PublishedPorts.class);

    private final Publishing publishing;
    private final Map<String, TcpProxy> proxies = new ConcurrentHashMap<>();
    private final ExecutorService pool;

    public PublishedPorts(Publishing publishing, String threadName) {
        this.publishing = publishing;
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Publishes the process's host port, replacing what published it before; an IOException when it cannot bind. */
    public void open(String processId, int hostPort, InetSocketAddress target) throws IOException {
        close(processId);
        proxies.put(processId, TcpProxy.open(publishing.address(), hostPort, target, publishing.filter(), pool));
    }

    public void close(String processId) {
        TcpProxy proxy = proxies.remove(processId);
        if (proxy != null) {
            proxy.close();
        }
    }

    public boolean isOpen(String processId) {
        return proxies.containsKey(processId);
    }

    /** Connections in flight through the process's published port, or -1 when it is not published by us. */
    public int connectionsInFlight(String processId) {
        TcpProxy proxy = proxies.get(processId);
        return proxy == null ? -1 : proxy.inFlight();
    }

    /**
     * After an agent restart: publishes a running container's host port again, to its address {@code host:port}
     * (what the runtime recorded). A failure is logged (and a bind failure counted as a publishing problem): the
     * container keeps running, unpublished, and the reconciler restarts it if it stays unreachable.
     */
    public void republish(String runtime, String containerName, String processId, int hostPort, String containerAddress) {
        String[] hostAndPort = containerAddress.split(":");
        try {
            open(processId, hostPort, new InetSocketAddress(hostAndPort[0], Integer.parseInt(hostAndPort[1])));
            LOG.info("Re-adopted {} container {} on {}", runtime, containerName, publishing.endpoint(hostPort));
        } catch (IOException | RuntimeException e) {
            if (e instanceof IOException) {
                publishing.publishFailed();
            }
            LOG.warn("Cannot re-publish {} on {}: {}", containerName, publishing.endpoint(hostPort), e.getMessage());
        }
    }

    /** Closes every published port (containers keep running, to be re-adopted) and the pool. */
    @Override
    public void close() {
        proxies.values().forEach(TcpProxy::close);
        proxies.clear();
        pool.shutdownNow();
    }
}
