package io.stratos.lxc.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SpliceTest {

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void servesAdmittedConnectionsClosesRefusedOnesAndStopsQuietlyWhenClosed() throws Exception {
        ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        AtomicBoolean closing = new AtomicBoolean();
        List<Socket> handled = new CopyOnWriteArrayList<>();
        List<Exception> stopped = new CopyOnWriteArrayList<>();
        AtomicBoolean admitNext = new AtomicBoolean(false);
        Future<?> serving = threads.submit(() -> Splice.serve(server, closing::get, client -> admitNext.getAndSet(true),
                handled::add, stopped::add));

        try (Socket refused = new Socket(server.getInetAddress(), server.getLocalPort());
             Socket admitted = new Socket(server.getInetAddress(), server.getLocalPort())) {
            refused.setSoTimeout(5_000);
            assertThat(refused.getInputStream().read()).as("a refused connection is closed at once").isEqualTo(-1);
            await().atMost(Duration.ofSeconds(5)).until(() -> handled.size() == 1);
            assertThat(handled.get(0).getPort()).isEqualTo(admitted.getLocalPort());
        }
        closing.set(true);
        server.close();
        serving.get(5, TimeUnit.SECONDS);
        assertThat(stopped).as("nothing is reported for a close the owner asked for").isEmpty();
    }

    @Test
    void relaysBothWaysAndPassesAHalfCloseOn() throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
             ServerSocket front = new ServerSocket(0, 16, InetAddress.getLoopbackAddress())) {
            threads.execute(() -> {
                try (Socket s = echo.accept()) {
                    byte[] all = s.getInputStream().readAllBytes(); // until the client's half-close arrives
                    s.getOutputStream().write(("echo:" + new String(all, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                } catch (Exception ignored) {
                    // the test fails on its own read
                }
            });
            Set<Socket> open = ConcurrentHashMap.newKeySet();
            AtomicBoolean ended = new AtomicBoolean();
            threads.execute(() -> {
                try {
                    Socket client = front.accept();
                    Splice.relay(client, (InetSocketAddress) echo.getLocalSocketAddress(), 2_000, threads, open, () -> ended.set(true));
                } catch (Exception ignored) {
                    // the test fails on its own read
                }
            });
            try (Socket client = new Socket(front.getInetAddress(), front.getLocalPort())) {
                client.setSoTimeout(5_000);
                OutputStream out = client.getOutputStream();
                out.write("hello".getBytes(StandardCharsets.UTF_8));
                client.shutdownOutput();
                InputStream in = client.getInputStream();
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("echo:hello");
            }
            await().atMost(Duration.ofSeconds(5)).untilTrue(ended);
            assertThat(open).as("both sockets closed and forgotten").isEmpty();
        }
    }
}
