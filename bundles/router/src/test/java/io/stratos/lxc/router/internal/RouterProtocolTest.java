package io.stratos.lxc.router.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.api.net.Cidr;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the router does with requests at the HTTP level, over raw sockets: timeouts, limits, malformed
 * requests, path normalisation, X-Forwarded-*, keep-alive both ways, HTTP/1.0, 100-continue, chunked bodies.
 */
class RouterProtocolTest {

    private static final String SHOP = "Host: shop.stratos.local\r\n";

    private RouterFixture fixture;

    private RouterFixture start(java.util.function.UnaryOperator<RouterSettings> tune) throws IOException {
        fixture = new RouterFixture(tune);
        return fixture;
    }

    private RouterFixture start() throws IOException {
        return start(s -> s);
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static void assertJson(RawHttp.Response response, int status) {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.body()).startsWith("{\"error\":").contains("\"hint\":");
    }

    // ------------------------------------------------------------ timeouts

    @Test
    void aClientThatDoesNotFinishItsHeadersInTimeGets408AndIsClosed() throws Exception {
        start(s -> RouterFixture.with(s, 1, 60, 10)).backend("shop", "a");
        try (RawClient partial = new RawClient(fixture.port()); RawClient silent = new RawClient(fixture.port())) {
            long start = System.nanoTime();
            partial.send("GET / HTTP/1.1\r\nHost: shop.stratos.local\r\n");
            assertJson(partial.read(), 408);
            assertThat(partial.closedByRouter()).isTrue();
            assertJson(silent.read(), 408);
            assertThat(silent.closedByRouter()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterIdleTimeoutSeconds() throws Exception {
        start(s -> RouterFixture.with(s, 10, 1, 10)).backend("shop", "a");
        try (RawClient client = new RawClient(fixture.port())) {
            client.send("GET /x HTTP/1.1\r\n" + SHOP + "\r\n");
            assertThat(client.read().status()).isEqualTo(200);
            long start = System.nanoTime();
            assertThat(client.closedByRouter()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(5));
        }
    }

    @Test
    void aClientThatStopsSendingItsBodyIsCutOffAfterIdleTimeoutSeconds() throws Exception {
        start(s -> RouterFixture.with(s, 10, 1, 30)).backend("shop", "a");
        try (RawClient client = new RawClient(fixture.port())) {
            long start = System.nanoTime();
            client.send("POST /form HTTP/1.1\r\n" + SHOP + "Content-Length: 10\r\n\r\nabc");
            assertJson(client.read(), 408);
            assertThat(client.closedByRouter()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
        RouterServerTest.await(() -> fixture.metrics.requestsInFlight("shop") == 0);
        RouterServerTest.await(() -> fixture.table.cached("shop").backends().get(0).inFlight() == 0);
    }

    @Test
    void aClientThatStopsReadingItsAnswerIsCutOffAfterIdleTimeoutSecondsAndFreesItsBackend() throws Exception {
        TestBackend backend = start(s -> RouterFixture.with(s, 10, 1, 30)).backend("shop", "a");
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.setReceiveBufferSize(16 * 1024);
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", fixture.port()));
            socket.getOutputStream().write(("GET /big?bytes=" + (512L << 20) + " HTTP/1.1\r\n" + SHOP + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            RouterServerTest.await(() -> fixture.metrics.requestsInFlight("shop") == 1);
            // never read: the router's writes back up, and after idleTimeoutSeconds it gives up on this client
            RouterServerTest.await(() -> fixture.metrics.requestsInFlight("shop") == 0);
            RouterServerTest.await(() -> fixture.table.cached("shop").backends().get(0).inFlight() == 0);
        }
        assertThat(backend.served).hasValue(1);
    }

    @Test
    void aBackendThatDoesNotAnswerInRequestTimeoutSecondsIs504() throws Exception {
        start(s -> RouterFixture.with(s, 10, 60, 1)).backend("shop", "a");
        try (RawClient client = new RawClient(fixture.port())) {
            client.send("GET /slow HTTP/1.1\r\n" + SHOP + "\r\n");
            RawHttp.Response response = client.read();
            assertJson(response, 504);
            assertThat(response.body()).contains("did not answer within 1 s");
        }
        RouterServerTest.await(() -> fixture.metrics.traffic("shop", fixture.table).errors() == 1);
    }

    // ------------------------------------------------------------ limits

    @Test
    void aRequestLineOverMaxHeaderBytesIs414AndHeadersOverItAre431EvenAMegabyte() throws Exception {
        start().backend("shop", "a");
        try (RawClient client = new RawClient(fixture.port())) {
            client.send("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\n" + SHOP + "\r\n");
            assertJson(client.read(), 414);
            assertThat(client.closedByRouter()).isTrue();
        }
        try (RawClient client = new RawClient(fixture.port())) {
            client.send("GET / HTTP/1.1\r\n" + SHOP + "X-Big: " + "b".repeat(20_000) + "\r\n\r\n");
            assertJson(client.read(), 431);
        }
        try (RawClient client = new RawClient(fixture.port())) {
            // the client is still writing its megabyte when the router answers: it must still get a status line
            Thread writer = new Thread(() -> {
                try {
                    client.send("GET / HTTP/1.1\r\n" + SHOP + "X-Huge: " + "h".repeat(1024 * 1024) + "\r\n\r\n");
                } catch (IOException e) {
                    // the router may close before the last bytes: what matters is what the client reads
                }
            });
            writer.start();
            RawHttp.Response response = client.read();
            writer.join(10_000);
            assertJson(response, 431);
        }
    }

    // ------------------------------------------------------------ malformed requests

    @Test
    void malformedRequestsAre400AtOnceAndClosed() throws Exception {
        start().backend("shop", "a");
        List<String> bad = List.of(
                "GET / HTTP/1.1\nHost: shop.stratos.local\n\n",                       // bare LF
                "GET / HTTP/1.1\r\nHost: shop.stratos.local\r\nX-A: a\u0000b\r\n\r\n",  // NUL in a value
                "GET / HTTP/1.1\r\nHost: shop.stratos.local\r\nX-A: a\u0001b\r\n\r\n",  // another control character
                "GET / HTTP/1.1\r\nHost: shop.stratos.local\r\nX\u0000A: 1\r\n\r\n",    // NUL in a name
                "GARBAGE\r\n\r\n",                                                      // no request line
                "GET /\u0000 HTTP/1.1\r\nHost: shop.stratos.local\r\n\r\n",
                "GET http://shop.stratos.local/ HTTP/1.1\r\nHost: shop.stratos.local\r\n\r\n", // absolute-form
                "GET * HTTP/1.1\r\nHost: shop.stratos.local\r\n\r\n");                  // asterisk-form, not OPTIONS
        for (String request : bad) {
            try (RawClient client = new RawClient(fixture.port())) {
                client.socket.setSoTimeout(3000); // "at once": no waiting for a timeout of the router's
                client.send(request);
                RawHttp.Response response = client.read();
                assertJson(response, 400);
                assertThat(client.closedByRouter()).as(request).isTrue();
            }
        }
        assertThat(fixture.closeables).hasSize(1);
        assertThat(((TestBackend) fixture.closeables.get(0)).served).as("nothing malformed was forwarded").hasValue(0);
    }

    @Test
    void aMalformedChunkedBodyIs400AndFreesTheBackend() throws Exception {
        start().backend("shop", "a");
        try (RawClient client = new RawClient(fixture.port())) {
            client.send("POST /form HTTP/1.1\r\n" + SHOP + "Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
            assertJson(client.read(), 400);
            assertThat(client.closedByRouter()).isTrue();
        }
        RouterServerTest.await(() -> fixture.metrics.requestsInFlight("shop") == 0);
        RouterServerTest.await(() -> fixture.table.cached("shop").backends().get(0).inFlight() == 0);
    }

    @Test
    void connectIs405WithAllowAndOptionsAsteriskIsAnswered() throws Exception {
        start().backend("shop", "a");
        try (RawClient client = new RawClient(fixture.port())) {
            client.send("CONNECT shop.stratos.local:443 HTTP/1.1\r\nHost: shop.stratos.local:443\r\n\r\n");
            RawHttp.Response response = client.read();
            assertJson(response, 405);
            assertThat(response.header("Allow")).contains("GET");
        }
        try (RawClient client = new RawClient(fixture.port())) {
            client.send("OPTIONS * HTTP/1.1\r\n" + SHOP + "\r\n");
            RawHttp.Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Allow")).contains("GET");
        }
    }

    // ------------------------------------------------------------ paths

    @Test
    void dotSegmentsAreRemovedBeforeRoutingAndTheBackendGetsTheNormalisedPath() throws Exception {
        start();
        fixture.backend("shop", "a");
        fixture.backend("other", "b");
        RawHttp.Response escaped = RawHttp.send(fixture.port(), "GET", "/shop/../other/x");
        assertThat(escaped.status()).isEqualTo(200);
        assertThat(escaped.echo("backend")).isEqualTo("b");
        assertThat(escaped.echo("path")).isEqualTo("/x");
        RawHttp.Response encoded = RawHttp.send(fixture.port(), "GET", "/shop/a/%2e%2E/./b/.%2e/c?q=1");
        assertThat(encoded.echo("backend")).isEqualTo("a");
        assertThat(encoded.echo("path")).isEqualTo("/c");
        assertThat(encoded.echo("query")).isEqualTo("q=1");
        // encoded slashes are not decoded: %2f is no segment boundary
        RawHttp.Response slash = RawHttp.send(fixture.port(), "GET", "/shop/a%2f..%2fb");
        assertThat(slash.echo("path")).isEqualTo("/a%2f..%2fb");
        for (String above : List.of("/..", "/shop/../../etc/passwd", "/%2e%2e/shop/")) {
            assertJson(RawHttp.send(fixture.port(), "GET", above), 400);
        }
        assertThat(RawHttp.send(fixture.port(), "GET", "/x/../../y", "Host: shop.stratos.local").status()).isEqualTo(400);
    }

    @Test
    void normalisesLikeRfc3986() {
        assertThat(RequestPaths.normalize("/")).isEqualTo("/");
        assertThat(RequestPaths.normalize("/a/b/../c")).isEqualTo("/a/c");
        assertThat(RequestPaths.normalize("/a/.")).isEqualTo("/a/");
        assertThat(RequestPaths.normalize("/a/..")).isEqualTo("/");
        assertThat(RequestPaths.normalize("/a/./b/")).isEqualTo("/a/b/");
        assertThat(RequestPaths.normalize("/a/%2E/b")).isEqualTo("/a/b");
        assertThat(RequestPaths.normalize("/a/...")).isEqualTo("/a/...");
        assertThat(RequestPaths.normalize("/..")).isNull();
        assertThat(RequestPaths.normalize("/a/../..")).isNull();
    }

    // ------------------------------------------------------------ X-Forwarded-*

    @Test
    void xForwardedFromATrustedProxyAreKeptAndAppendedTo() throws Exception {
        start(s -> new RouterSettings(s.port(), s.bindAddress(), s.domain(), s.connectTimeoutMillis(), s.requestTimeoutSeconds(),
                s.ioThreads(), s.backendCacheMillis(), s.backendDownMillis(), s.headerTimeoutSeconds(), s.idleTimeoutSeconds(),
                s.maxHeaderBytes(), List.of(Cidr.parse("127.0.0.0/8")), s.drainTimeoutSeconds(), null, null)).backend("shop", "a");
        RawHttp.Response response = RawHttp.send(fixture.port(), "GET", "/shop/x",
                "X-Forwarded-For: 10.0.0.1", "X-Forwarded-Proto: https", "X-Forwarded-Host: www.example.com",
                "X-Forwarded-Prefix: /edge");
        assertThat(response.echo("header.x-forwarded-for")).isEqualTo("10.0.0.1, 127.0.0.1");
        assertThat(response.echo("header.x-forwarded-proto")).isEqualTo("https");
        assertThat(response.echo("header.x-forwarded-host")).isEqualTo("www.example.com");
        assertThat(response.echo("header.x-forwarded-prefix")).isEqualTo("/edge/shop");
    }

    @Test
    void xForwardedFromAnyOtherClientAreReplaced() throws Exception {
        start(s -> new RouterSettings(s.port(), s.bindAddress(), s.domain(), s.connectTimeoutMillis(), s.requestTimeoutSeconds(),
                s.ioThreads(), s.backendCacheMillis(), s.backendDownMillis(), s.headerTimeoutSeconds(), s.idleTimeoutSeconds(),
                s.maxHeaderBytes(), List.of(Cidr.parse("10.0.0.0/8")), s.drainTimeoutSeconds(), null, null)).backend("shop", "a");
        RawHttp.Response response = RawHttp.send(fixture.port(), "GET", "/shop/x",
                "X-Forwarded-For: 10.0.0.1", "X-Forwarded-Proto: https", "X-Forwarded-Host: www.example.com",
                "X-Forwarded-Prefix: /edge");
        assertThat(response.echo("header.x-forwarded-for")).isEqualTo("127.0.0.1");
        assertThat(response.echo("header.x-forwarded-proto")).isEqualTo("http");
        assertThat(response.echo("header.x-forwarded-host")).isEqualTo("127.0.0.1:" + fixture.port());
        assertThat(response.echo("header.x-forwarded-prefix")).isEqualTo("/shop");
    }

    // ------------------------------------------------------------ connections

    @Test
    void keepsConnectionsAliveToClientsAndToBackendsAndHonoursConnectionClose() throws Exception {
        start().backend("shop", "a");
        try (RawClient client = new RawClient(fixture.port())) {
            client.send("GET /one HTTP/1.1\r\n" + SHOP + "\r\n");
            RawHttp.Response first = client.read();
            client.send("GET /two HTTP/1.1\r\n" + SHOP + "\r\n");
            RawHttp.Response second = client.read();
            assertThat(first.echo("path")).isEqualTo("/one");
            assertThat(second.echo("path")).isEqualTo("/two");
            assertThat(second.echo("remote")).as("the same pooled connection to the backend").isEqualTo(first.echo("remote"));
            // pipelined: both answered, in order
            client.send("GET /three HTTP/1.1\r\n" + SHOP + "\r\nGET /four HTTP/1.1\r\n" + SHOP + "Connection: close\r\n\r\n");
            assertThat(client.read().echo("path")).isEqualTo("/three");
            RawHttp.Response last = client.read();
            assertThat(last.echo("path")).isEqualTo("/four");
            assertThat(last.header("Connection")).isEqualTo("close");
            assertThat(client.closedByRouter()).isTrue();
        }
    }

    @Test
    void servesHttp10ClientsWithAndWithoutKeepAlive() throws Exception {
        start().backend("shop", "a");
        try (RawClient client = new RawClient(fixture.port())) {
            client.send("GET /big?bytes=1000&chunked HTTP/1.0\r\n" + SHOP + "\r\n");
            RawHttp.Response response = client.read(); // no length, no chunks: the body ends with the connection
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Transfer-Encoding")).isNull();
            assertThat(response.body()).hasSize(1000);
        }
        try (RawClient client = new RawClient(fixture.port())) {
            client.send("GET /a HTTP/1.0\r\n" + SHOP + "Connection: keep-alive\r\n\r\n");
            RawHttp.Response first = client.read();
            assertThat(first.header("Connection")).isEqualToIgnoringCase("keep-alive");
            client.send("GET /b HTTP/1.0\r\n" + SHOP + "\r\n");
            assertThat(client.read().echo("path")).isEqualTo("/b");
            assertThat(client.closedByRouter()).isTrue();
        }
    }

    @Test
    void answers100ContinueItselfAndStreamsChunkedAndFixedLengthBodies() throws Exception {
        start().backend("shop", "a");
        try (RawClient client = new RawClient(fixture.port())) {
            client.send("POST /form HTTP/1.1\r\n" + SHOP + "Content-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(100);
            client.send("hello");
            RawHttp.Response response = client.read();
            assertThat(response.echo("received")).isEqualTo("5");
            assertThat(response.echo("header.expect")).isNull();
            assertThat(response.echo("header.content-length")).isEqualTo("5");
            client.send("POST /chunks HTTP/1.1\r\n" + SHOP + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
            RawHttp.Response chunked = client.read();
            assertThat(chunked.echo("received")).isEqualTo("11");
            assertThat(chunked.echo("header.transfer-encoding")).isEqualTo("chunked");
        }
    }

    @Test
    void aPooledConnectionTheBackendClosesAsARequestArrivesCostsTheClientNoWait() throws Exception {
        start(s -> RouterFixture.with(s, 10, 60, 10));
        try (ClosingBackend backend = new ClosingBackend()) {
            fixture.controller.subscribed("shop").process("shop", io.stratos.lxc.api.controller.ProcessState.RUNNING, backend.port());
            // first: a GET on a new connection; second: a POST (no body) sent on that pooled connection, which the
            // backend closes unanswered (its idle timeout struck); then GETs on the connection the retry made
            // (one client connection: backend connections are pooled per event loop, and it stays on one)
            try (RawClient client = new RawClient(fixture.port())) {
                for (String method : List.of("GET", "POST", "GET", "GET")) {
                    long start = System.nanoTime();
                    client.send(method + " /x HTTP/1.1\r\n" + SHOP + "Content-Length: 0\r\n\r\n");
                    assertThat(client.read().status()).as(method).isEqualTo(200);
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("well within requestTimeoutSeconds")
                            .isLessThan(Duration.ofSeconds(3));
                }
            }
            assertThat(backend.closedUnanswered.get()).as("the stale connection was tried").isEqualTo(1);
            assertThat(backend.connections.get()).as("one retry connection, then reused").isEqualTo(2);
        }
        RouterServerTest.await(() -> fixture.metrics.traffic("shop", fixture.table).requests() == 4);
        assertThat(fixture.metrics.traffic("shop", fixture.table).errors()).isZero();
    }

    /**
     * A keep-alive backend whose first connection answers one request, then reads the next one and closes
     * without answering, as a server does whose idle timeout strikes just as a request comes.
     */
    private static final class ClosingBackend implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger closedUnanswered = new AtomicInteger();
        final Thread thread = new Thread(this::accept, "closing-backend");

        ClosingBackend() throws IOException {
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    boolean first = connections.incrementAndGet() == 1;
                    Thread serving = new Thread(() -> serve(socket, first), "closing-backend-connection");
                    serving.setDaemon(true);
                    serving.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket socket, boolean first) {
            try (socket) {
                socket.setSoTimeout(10_000);
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                for (int served = 0; readHead(in); served++) {
                    if (first && served == 1) {
                        closedUnanswered.incrementAndGet();
                        return;
                    }
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
            } catch (IOException e) {
                // connection over
            }
        }

        /** Reads a request head (the requests here have no body); false at the end of the connection. */
        private static boolean readHead(InputStream in) throws IOException {
            int matched = 0;
            int c;
            while (matched < 4 && (c = in.read()) >= 0) {
                matched = c == "\r\n\r\n".charAt(matched) ? matched + 1 : (c == '\r' ? 1 : 0);
            }
            return matched == 4;
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
