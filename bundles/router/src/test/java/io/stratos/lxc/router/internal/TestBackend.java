package io.stratos.lxc.router.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny backend on a free port of 127.0.0.1. Paths:
 * {@code /slow} waits for {@link #release}; {@code /big?bytes=N} streams N bytes; {@code /status/N} answers N;
 * {@code /hop} answers with hop-by-hop headers; {@code /slowupload} reads the body slowly; anything else echoes the request (method, path, query, headers,
 * body size) as {@code key=value} lines.
 */
final class TestBackend implements AutoCloseable {

    final String name;
    final HttpServer server;
    final AtomicInteger served = new AtomicInteger();
    volatile CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger waiting = new AtomicInteger();

    TestBackend(String name) throws IOException {
        this(name, "127.0.0.1");
    }

    /** A backend listening on {@code address} only, as a process published on its VM's address. */
    TestBackend(String name, String address) throws IOException {
        this.name = name;
        server = HttpServer.create(new InetSocketAddress(address, 0), 100);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "backend-" + name);
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        served.incrementAndGet();
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            if (path.equals("/slow")) {
                waiting.incrementAndGet();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    waiting.decrementAndGet();
                }
            }
            if (path.equals("/big")) {
                long bytes = Long.parseLong(query.split("&")[0].substring("bytes=".length()));
                exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
                if (exchange.getRequestMethod().equals("HEAD")) {
                    // the JDK server sends no Content-Length for HEAD unless set by hand
                    exchange.getResponseHeaders().set("Content-Length", Long.toString(bytes));
                    exchange.sendResponseHeaders(200, -1);
                    return;
                }
                exchange.sendResponseHeaders(200, query.contains("chunked") ? 0 : bytes);
                byte[] chunk = new byte[64 * 1024];
                for (int i = 0; i < chunk.length; i++) {
                    chunk[i] = (byte) i;
                }
                try (OutputStream out = exchange.getResponseBody()) {
                    for (long left = bytes; left > 0; left -= chunk.length) {
                        out.write(chunk, 0, (int) Math.min(chunk.length, left));
                    }
                }
                return;
            }
            if (path.equals("/broken")) {
                // promises 1 MB, sends 64 KB, then the connection drops
                exchange.sendResponseHeaders(200, 1024 * 1024);
                exchange.getResponseBody().write(new byte[64 * 1024]);
                exchange.getResponseBody().flush();
                throw new IOException("backend dies mid-body");
            }
            if (path.startsWith("/status/")) {
                exchange.sendResponseHeaders(Integer.parseInt(path.substring(8)), -1);
                return;
            }
            if (path.equals("/hop")) {
                exchange.getResponseHeaders().set("Connection", "X-Resp-Secret");
                exchange.getResponseHeaders().set("X-Resp-Secret", "hidden");
                exchange.getResponseHeaders().set("Keep-Alive", "timeout=5");
                exchange.getResponseHeaders().set("Proxy-Authenticate", "Basic");
                exchange.getResponseHeaders().set("X-Resp-Kept", "shown");
            }
            long received = 0;
            boolean slowReader = path.equals("/slowupload");
            try (InputStream in = exchange.getRequestBody()) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                long nextPause = 4L << 20;
                while ((n = in.read(buffer)) >= 0) {
                    received += n;
                    if (slowReader && received >= nextPause) {
                        // a slow consumer: the router must hold the client back, not buffer for it
                        nextPause += 4L << 20;
                        pause(10);
                    }
                }
            }
            StringBuilder echo = new StringBuilder()
                    .append("backend=").append(name).append('\n')
                    .append("method=").append(exchange.getRequestMethod()).append('\n')
                    .append("path=").append(path).append('\n')
                    .append("query=").append(query).append('\n')
                    .append("received=").append(received).append('\n')
                    .append("remote=").append(exchange.getRemoteAddress().getPort()).append('\n');
            for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
                echo.append("header.").append(header.getKey().toLowerCase(Locale.ROOT)).append('=')
                        .append(String.join(",", header.getValue())).append('\n');
            }
            byte[] body = echo.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    /** Paces a deliberately slow party (a slow reader, a dripping client, a load loop); never a wait for something. */
    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
