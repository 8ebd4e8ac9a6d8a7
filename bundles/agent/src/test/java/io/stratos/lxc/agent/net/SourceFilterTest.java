package io.stratos.lxc.agent.net;

import io.stratos.lxc.api.net.Cidr;
import io.stratos.lxc.api.net.IpLiteral;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A published port on an address other than 127.0.0.1, with its source filter, over real sockets: everything stays in
 * 127.0.0.0/8 (the proxy on 127.0.0.2, clients bound to 127.0.0.3 and 127.0.0.4).
 */
class SourceFilterTest {

    static final InetAddress PUBLISHED = IpLiteral.require("127.0.0.2");
    static final InetAddress ROUTER = IpLiteral.require("127.0.0.3");
    static final InetAddress STRANGER = IpLiteral.require("127.0.0.4");

    ExecutorService pool;
    ServerSocket backend;
    TcpProxy proxy;

    @BeforeEach
    void setUp() throws IOException {
        pool = Executors.newCachedThreadPool();
        backend = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        pool.execute(() -> {
            while (!backend.isClosed()) {
                try (Socket s = backend.accept()) {
                    s.getOutputStream().write("hello".getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    @AfterEach
    void tearDown() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        backend.close();
        pool.shutdownNow();
    }

    private static String read(InetAddress from, InetAddress to, int port) throws IOException {
        try (Socket client = new Socket()) {
            client.bind(new InetSocketAddress(from, 0));
            client.connect(new InetSocketAddress(to, port), 2000);
            client.setSoTimeout(2000);
            InputStream in = client.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.net.SocketException e) {
            return "closed: " + e.getMessage(); // a reset instead of an orderly close counts as closed too
        }
    }

    @Test
    void anAllowedSourceIsProxiedAndAnyOtherIsClosedAtOnceAndCounted() throws Exception {
        SourceFilter filter = new SourceFilter(List.of(Cidr.of(ROUTER)));
        proxy = TcpProxy.open(PUBLISHED, 0, (InetSocketAddress) backend.getLocalSocketAddress(), filter, pool);
        int port = proxy.hostPort();
        assertThat(proxy.published()).isEqualTo("127.0.0.2:" + port);

        assertThat(read(ROUTER, PUBLISHED, port)).isEqualTo("hello");
        assertThat(filter.refusedCount()).isZero();

        long started = System.nanoTime();
        assertThat(read(STRANGER, PUBLISHED, port)).doesNotContain("hello");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1)); // closed, not timed out
        assertThat(read(STRANGER, PUBLISHED, port)).doesNotContain("hello");
        assertThat(filter.refusedCount()).isEqualTo(2);
        assertThat(proxy.accepted()).isEqualTo(1);

        // the port is bound on the publish address only
        try (Socket other = new Socket()) {
            other.bind(new InetSocketAddress(ROUTER, 0));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> other.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    port), 1000)).isInstanceOf(java.net.ConnectException.class);
        }
    }

    @Test
    void allowedSourcesCanChangeWhileTheProxyRuns() throws Exception {
        SourceFilter filter = new SourceFilter(List.of(Cidr.of(ROUTER)));
        proxy = TcpProxy.open(PUBLISHED, 0, (InetSocketAddress) backend.getLocalSocketAddress(), filter, pool);
        assertThat(read(STRANGER, PUBLISHED, proxy.hostPort())).doesNotContain("hello");

        filter.allow(List.of(Cidr.parse("127.0.0.4/31")));
        assertThat(read(STRANGER, PUBLISHED, proxy.hostPort())).isEqualTo("hello");
        assertThat(filter.refusedCount()).isEqualTo(1);
    }

    @Test
    void refusalsAreLoggedAtMostOnceAMinute() {
        AtomicLong now = new AtomicLong();
        SourceFilter filter = new SourceFilter(List.of(Cidr.of(ROUTER)), now::get);

        assertThat(filter.refused(STRANGER, "127.0.0.2:20000")).isTrue();
        for (int i = 0; i < 100; i++) {
            now.addAndGet(100_000_000L); // 10 s in all
            assertThat(filter.refused(STRANGER, "127.0.0.2:20000")).isFalse();
        }
        now.addAndGet(SourceFilter.LOG_INTERVAL_NANOS);
        assertThat(filter.refused(STRANGER, "127.0.0.2:20000")).isTrue();
        assertThat(filter.refusedCount()).isEqualTo(102);
    }
}
