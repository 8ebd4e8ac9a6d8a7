package io.stratos.lxc.router.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.PooledByteBufAllocator;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * 256 MiB each way through the router, to and from a slow consumer, while the router's own buffer pool is
 * watched: what it holds at any moment must stay a few socket buffers' worth. Aggregating a body, or
 * reading on while the other side cannot take more, would fill the pool with the body.
 */
class RouterStreamingTest {

    private static final long SIZE = 256L * 1024 * 1024;
    /** Far below a body; a few chunks of the pool (measured: one 4 MiB chunk; without backpressure over 60 MiB). */
    private static final long BOUND = 16L * 1024 * 1024;

    private RouterFixture fixture;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicLong peak = new AtomicLong();
    private final AtomicBoolean watching = new AtomicBoolean(true);
    private Thread watcher;

    @BeforeEach
    void start() throws Exception {
        fixture = new RouterFixture();
        fixture.backend("shop", "a");
        PooledByteBufAllocator pool = (PooledByteBufAllocator) fixture.router.allocator();
        watcher = new Thread(() -> {
            while (watching.get()) {
                peak.accumulateAndGet(pool.metric().usedDirectMemory() + pool.metric().usedHeapMemory(), Math::max);
                TestBackend.pause(2);
            }
        }, "pool-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        watching.set(false);
        watcher.join(5000);
        fixture.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + fixture.port() + path;
    }

    @Test
    void downloadsToASlowClientWithBoundedMemory() throws Exception {
        HttpResponse<InputStream> download = http.send(HttpRequest.newBuilder(URI.create(url("/shop/big?bytes=" + SIZE))).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(download.statusCode()).isEqualTo(200);
        long received = 0;
        long nextPause = 4L << 20;
        try (InputStream in = download.body()) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                received += n;
                if (received >= nextPause) {
                    nextPause += 4L << 20;
                    TestBackend.pause(10);
                }
            }
        }
        assertThat(received).isEqualTo(SIZE);
        System.out.printf("download: router pool peak %.1f MiB%n", peak.get() / 1048576.0);
        assertThat(peak.get()).as("router pool peak while 256 MiB went by").isLessThan(BOUND);
    }

    @Test
    void uploadsToASlowBackendWithBoundedMemoryWithLengthAndChunked() throws Exception {
        HttpResponse<String> upload = http.send(HttpRequest.newBuilder(URI.create(url("/shop/slowupload")))
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                        () -> RouterServerTest.zeros(SIZE)), SIZE)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).isEqualTo(200);
        assertThat(new RawHttp.Response(200, java.util.Map.of(), upload.body()).echo("received")).isEqualTo(Long.toString(SIZE));
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(URI.create(url("/shop/slowupload")))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> RouterServerTest.zeros(SIZE))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(new RawHttp.Response(200, java.util.Map.of(), chunked.body()).echo("received")).isEqualTo(Long.toString(SIZE));
        System.out.printf("upload: router pool peak %.1f MiB%n", peak.get() / 1048576.0);
        assertThat(peak.get()).as("router pool peak while 2 x 256 MiB went by").isLessThan(BOUND);
    }
}
