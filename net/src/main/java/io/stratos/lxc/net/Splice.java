package io.stratos.lxc.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One direction of a TCP connection relayed byte for byte between two sockets, as the agent's publishing proxy and the
 * local adapter's relay to the controller both do over blocking sockets (no library the bundles use offers it).
 * The end of one direction is passed on as a half-close, so that a client that shuts its output after a request still
 * reads the answer.
 */
public final class Splice {

    private Splice() {
    }

    /**
     * Relays an accepted {@code client} to a new connection to {@code target}, both directions, one on the calling
     * thread and one on {@code executor}. {@code open} holds both sockets while they are open (so that an owner
     * shutting down can close them); {@code onEnd} runs once, after both are closed, whether the target answered or not.
     */
    public static void relay(Socket client, InetSocketAddress target, int connectTimeoutMillis, Executor executor,
                             Set<Socket> open, Runnable onEnd) {
        Socket upstream = new Socket();
        open.add(client);
        open.add(upstream);
        Runnable finish = () -> {
            close(client, open);
            close(upstream, open);
            onEnd.run();
        };
        try {
            upstream.connect(target, connectTimeoutMillis);
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
        } catch (IOException e) {
            finish.run();
            return;
        }
        AtomicInteger directions = new AtomicInteger(2);
        Runnable done = () -> {
            if (directions.decrementAndGet() == 0) {
                finish.run();
            }
        };
        try {
            executor.execute(() -> pump(upstream, client, done));
        } catch (RejectedExecutionException e) {
            finish.run();
            return;
        }
        pump(client, upstream, done);
    }

    /**
     * Accepts connections on {@code server} until it is closed: each one {@code admit} refuses is closed at once, each
     * other one goes to {@code handle}. When accepting fails while not {@code closing}, {@code stopped} is told why.
     */
    public static void serve(ServerSocket server, BooleanSupplier closing, Predicate<Socket> admit,
                             Consumer<Socket> handle, Consumer<IOException> stopped) {
        while (!closing.getAsBoolean()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closing.getAsBoolean()) {
                    stopped.accept(e);
                }
                return;
            }
            if (!admit.test(client)) {
                try {
                    client.close();
                } catch (IOException ignored) {
                    // refused either way
                }
                continue;
            }
            handle.accept(client);
        }
    }

    /** Closes the socket, forgetting it in {@code open}. */
    public static void close(Socket socket, Set<Socket> open) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /**
     * Copies {@code from} to {@code to} until {@code from} ends, then shuts {@code to}'s output; on an error closes
     * {@code to}. Runs {@code done} either way. Neither socket is closed on a clean end: the other direction may still
     * be busy, and closing a socket's stream closes the socket.
     */
    public static void pump(Socket from, Socket to, Runnable done) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            try {
                to.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        } finally {
            done.run();
        }
    }
}
