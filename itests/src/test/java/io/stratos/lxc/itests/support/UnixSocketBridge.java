package io.stratos.lxc.itests.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP endpoint on 127.0.0.1 that forwards every connection to a unix socket, for the lifetime of a test:
 * gives the jclouds docker provider (TCP only) a way to a dockerd that listens on its unix socket only,
 * without restarting the daemon. Loopback only; closed with the test.
 */
public final class UnixSocketBridge implements AutoCloseable {

    private final ServerSocketChannel server;
    private final Path socket;
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    public UnixSocketBridge(Path socket) throws IOException {
        this.socket = socket;
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = new Thread(this::accept, "unix-socket-bridge");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.socket().getLocalPort();
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                SocketChannel unix = SocketChannel.open(StandardProtocolFamily.UNIX);
                unix.connect(UnixDomainSocketAddress.of(socket));
                open.add(client);
                open.add(unix);
                pump(client, unix);
                pump(unix, client);
            } catch (IOException e) {
                if (!server.isOpen()) {
                    return;
                }
            }
        }
    }

    private void pump(SocketChannel from, SocketChannel to) {
        Thread thread = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            try {
                while (from.read(buffer) >= 0) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        to.write(buffer);
                    }
                    buffer.clear();
                }
                to.shutdownOutput();
            } catch (IOException e) {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "unix-socket-bridge-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        open.forEach(UnixSocketBridge::closeQuietly);
    }
}
