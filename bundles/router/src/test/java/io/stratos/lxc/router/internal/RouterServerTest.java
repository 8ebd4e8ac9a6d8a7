package io.stratos.lxc.router.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.router.AliasTraffic;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The router over real HTTP on 127.0.0.1: three tiny backends, a fake controller, the router on a free port. */
class RouterServerTest {

    static {
        // the JDK server of the test backends writes headers and body apart: without this, Nagle's algorithm
        // delays each answer by the client's delayed ACK
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final List<TestBackend> backends = new ArrayList<>();
    private final FakeController controller = new FakeController();
    private final TrafficMetrics metrics = new TrafficMetrics();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** The backend table's clock: real time, plus what a test skips ahead instead of sleeping. */
    private final java.util.concurrent.atomic.AtomicLong skippedNanos = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.function.LongSupplier clock = () -> System.nanoTime() + skippedNanos.get();
    private BackendTable table;
    private RouterServer router;
    private final List<String> accessLines = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        for (String name : List.of("a", "b", "c")) {
            backends.add(new TestBackend(name));
        }
        table = new BackendTable(new ControllerBackendSource(controller::service), 500, clock);
        router = new RouterServer(settings(), table, metrics, AccessLog.to(accessLines::add));
        router.start();
    }

    @AfterEach
    void stop() {
        router.stop(0);
        backends.forEach(TestBackend::close);
    }

    static RouterSettings settings() {
        return new RouterSettings(0, "127.0.0.1", "stratos.local", 5000, 10, 2, 500, 3000, 10, 60, 16_384, List.of(), 30, null, null);
    }

    private void subscribe(String alias, TestBackend... running) {
        controller.subscribed(alias);
        for (TestBackend backend : running) {
            controller.process(alias, ProcessState.RUNNING, backend.port());
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + router.port() + path;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String echo(HttpResponse<String> response, String key) {
        return new RawHttp.Response(response.statusCode(), Map.of(), response.body()).echo(key);
    }

    @Test
    void everyRequestIsOneAccessLogLineInTheCombinedFormatWithItsAliasAndTime() throws Exception {
        subscribe("shop", backends.get(0));

        RawHttp.Response routed = RawHttp.send(router.port(), "GET", "/shop/cart?x=1", "User-Agent: probe \"1\"",
                "Referer: http://example.org/");
        RawHttp.send(router.port(), "GET", "/nope/");

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> accessLines.size() == 2);
        String shop = accessLines.stream().filter(l -> l.contains("/shop/")).findFirst().orElseThrow();
        String nope = accessLines.stream().filter(l -> l.contains("/nope/")).findFirst().orElseThrow();
        assertThat(shop).matches("127\\.0\\.0\\.1 - - \\[\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000] "
                + "\"GET /shop/cart\\?x=1 HTTP/1\\.1\" 200 " + routed.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                + " \"http://example\\.org/\" \"probe \\\\\"1\\\\\"\" shop \\d+\\.\\d{3}");
        assertThat(nope).as("the router's own answer, no alias").matches(".*\"GET /nope/ HTTP/1\\.1\" 404 \\d+ \"-\" \"-\" - \\d+\\.\\d{3}");
    }

    @Test
    void aRequestRefusedAsMalformedIsLoggedTooWithItsLineEscaped() throws Exception {
        RawHttp.Response nul = RawHttp.send(router.port(), "GET", "/shop/\"x", "X-Bad: a\u0000b");
        RawHttp.Response connect = RawHttp.send(router.port(), "CONNECT", "example.org:443");

        assertThat(nul.status()).isEqualTo(400);
        assertThat(connect.status()).isEqualTo(405);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> accessLines.size() == 2);
        assertThat(accessLines).anyMatch(l -> l.matches(".*\"GET /shop/\\\\\"x HTTP/1\\.1\" 400 \\d+ \"-\" \"-\" - \\d+\\.\\d{3}"))
                .anyMatch(l -> l.contains("\"CONNECT example.org:443 HTTP/1.1\" 405 "));
    }

    @Test
    void aProcessThatEndsItsHeaderLinesWithABareLfIsStillRelayed() throws Exception {
        // as busybox httpd passes a CGI script's headers on: strict toward clients, lenient toward the processes
        try (java.net.ServerSocket cgi = new java.net.ServerSocket(0, 16, java.net.InetAddress.getLoopbackAddress())) {
            Thread answering = new Thread(() -> {
                try (java.net.Socket connection = cgi.accept()) {
                    java.io.InputStream in = connection.getInputStream();
                    byte[] buffer = new byte[8192];
                    String seen = "";
                    while (!seen.contains("\r\n\r\n")) {
                        int n = in.read(buffer);
                        if (n < 0) {
                            return;
                        }
                        seen += new String(buffer, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
                    }
                    connection.getOutputStream().write("HTTP/1.0 200 OK\nContent-Type: text/plain\n\nfrom a CGI script\n"
                            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                } catch (IOException ignored) {
                    // the test fails on its own answer
                }
            });
            answering.start();
            controller.subscribed("cgi");
            controller.process("cgi", ProcessState.RUNNING, cgi.getLocalPort());

            HttpResponse<String> response = get("/cgi/who");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("from a CGI script\n");
            answering.join(5_000);
        }
    }

    @Test
    void routesByHostHeaderIgnoringItsPortAndKeepingThePath() throws Exception {
        subscribe("shop", backends.get(0));
        RawHttp.Response response = RawHttp.send(router.port(), "GET", "/cart/items?page=2&q=a%20b",
                "Host: shop.stratos.local:8280");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.echo("backend")).isEqualTo("a");
        assertThat(response.echo("path")).isEqualTo("/cart/items");
        assertThat(response.echo("query")).isEqualTo("page=2&q=a%20b");
        assertThat(RawHttp.send(router.port(), "GET", "/", "Host: SHOP.Stratos.Local").echo("path")).isEqualTo("/");
    }

    @Test
    void eachProcessIsReachedAtItsEndpointAndOneWithoutAnEndpointGetsNoRequests() throws Exception {
        // two "VMs": processes published on 127.0.0.2 and 127.0.0.3 only, not on the router's own 127.0.0.1
        try (TestBackend second = new TestBackend("vm2", "127.0.0.2"); TestBackend third = new TestBackend("vm3", "127.0.0.3")) {
            controller.process("spread", ProcessState.RUNNING, "127.0.0.2", second.port());
            controller.process("spread", ProcessState.RUNNING, "127.0.0.3", third.port());
            controller.process("spread", ProcessState.RUNNING, null, backends.get(0).port());
            java.util.Set<String> served = new java.util.HashSet<>();
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> response = get("/spread/");
                assertThat(response.statusCode()).isEqualTo(200);
                served.add(echo(response, "backend"));
            }
            assertThat(served).containsExactlyInAnyOrder("vm2", "vm3");
            assertThat(backends.get(0).served.get()).isZero();
        }
    }

    @Test
    void routesByFirstPathSegmentAndStripsIt() throws Exception {
        subscribe("shop", backends.get(0));
        HttpResponse<String> response = get("/shop/cart/items?page=2");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(echo(response, "path")).isEqualTo("/cart/items");
        assertThat(echo(response, "query")).isEqualTo("page=2");
        assertThat(echo(response, "header.x-forwarded-prefix")).isEqualTo("/shop");
        assertThat(echo(get("/shop/"), "path")).isEqualTo("/");
    }

    @Test
    void theAliasWithoutItsSlashRedirectsToIt() throws Exception {
        subscribe("shop", backends.get(0));
        RawHttp.Response response = RawHttp.send(router.port(), "GET", "/shop?x=1");
        assertThat(response.status()).isEqualTo(301);
        assertThat(response.header("Location")).isEqualTo("/shop/?x=1");
        assertThat(RawHttp.send(router.port(), "POST", "/shop", "Content-Length: 0").status()).isEqualTo(308);
        assertThat(backends.get(0).served).hasValue(0);
    }

    @Test
    void anUnknownAliasIs404Json() throws Exception {
        subscribe("shop", backends.get(0));
        for (RawHttp.Response response : List.of(
                RawHttp.send(router.port(), "GET", "/", "Host: nope.stratos.local"),
                RawHttp.send(router.port(), "GET", "/nope/x"),
                RawHttp.send(router.port(), "GET", "/favicon.ico"),
                RawHttp.send(router.port(), "GET", "/"))) {
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.header("Content-Type")).isEqualTo("application/json");
            assertThat(response.body()).contains("\"error\":").contains("\"hint\":");
        }
        assertThat(RawHttp.send(router.port(), "GET", "/", "Host: nope.stratos.local").body())
                .contains("no subscription 'nope'");
        assertThat(metrics.all(table)).isEmpty();
    }

    @Test
    void aKnownAliasWithoutRunningProcessesIs503WithRetryAfter() throws Exception {
        controller.subscribed("shop")
                .process("shop", ProcessState.STARTING, backends.get(0).port())
                .process("shop", ProcessState.PENDING, 0)
                .process("shop", ProcessState.RUNNING, 0);
        RawHttp.Response response = RawHttp.send(router.port(), "GET", "/", "Host: shop.stratos.local");
        assertThat(response.status()).isEqualTo(503);
        assertThat(response.header("Retry-After")).isEqualTo("5");
        assertThat(response.body()).contains("\"error\":\"subscription 'shop' has no RUNNING process\"").contains("\"hint\":");
        assertThat(backends.get(0).served).hasValue(0);
        await(() -> metrics.traffic("shop", table).errors() == 1);
    }

    @Test
    void spreadsSequentialRequestsEvenlyOverTheRunningProcesses() throws Exception {
        subscribe("shop", backends.toArray(TestBackend[]::new));
        Map<String, Integer> hits = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            hits.merge(echo(get("/shop/"), "backend"), 1, Integer::sum);
        }
        assertThat(hits).containsOnly(Map.entry("a", 10), Map.entry("b", 10), Map.entry("c", 10));
        await(() -> metrics.traffic("shop", table).requests() == 30);
        AliasTraffic traffic = metrics.traffic("shop", table);
        assertThat(traffic.errors()).isZero();
        assertThat(traffic.backends()).isEqualTo(3);
        assertThat(traffic.latencyP50Millis()).isPositive();
    }

    @Test
    void sendsToTheBackendWithFewestRequestsInFlight() throws Exception {
        subscribe("shop", backends.get(0), backends.get(1));
        List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
        // two slow requests: one on each backend (ties go round robin)
        for (int i = 0; i < 2; i++) {
            slow.add(http.sendAsync(HttpRequest.newBuilder(URI.create(url("/shop/slow"))).build(), HttpResponse.BodyHandlers.ofString()));
        }
        await(() -> backends.get(0).waiting.get() + backends.get(1).waiting.get() == 2);
        assertThat(backends.get(0).waiting.get()).as("one slow request on each backend").isEqualTo(1);
        // a third slow one lands on either; every quick request after it must go to the other one
        slow.add(http.sendAsync(HttpRequest.newBuilder(URI.create(url("/shop/slow"))).build(), HttpResponse.BodyHandlers.ofString()));
        await(() -> backends.get(0).waiting.get() + backends.get(1).waiting.get() == 3);
        String idle = backends.get(0).waiting.get() == 1 ? "a" : "b";
        for (int i = 0; i < 6; i++) {
            assertThat(echo(get("/shop/quick"), "backend")).isEqualTo(idle);
        }
        backends.forEach(b -> b.release.countDown());
        for (CompletableFuture<HttpResponse<String>> response : slow) {
            assertThat(response.get().statusCode()).isEqualTo(200);
        }
    }

    @Test
    void retriesTheNextBackendWhenOneRefusesAndMarksItDown() throws Exception {
        int dead = deadPort();
        controller.subscribed("shop")
                .process("shop", ProcessState.RUNNING, dead)
                .process("shop", ProcessState.RUNNING, backends.get(0).port())
                .process("shop", ProcessState.RUNNING, backends.get(1).port());
        for (int i = 0; i < 20; i++) {
            assertThat(get("/shop/x").statusCode()).isEqualTo(200);
        }
        // a POST with a body goes on too: nothing of it was sent to the dead one
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(url("/shop/form")))
                    .POST(HttpRequest.BodyPublishers.ofString("a=1&b=2")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(200);
            assertThat(echo(post, "received")).isEqualTo("7");
        }
        await(() -> metrics.traffic("shop", table).requests() == 24);
        AliasTraffic traffic = metrics.traffic("shop", table);
        assertThat(traffic.errors()).isZero();
        assertThat(traffic.backendsDown()).isEqualTo(1);
        assertThat(backends.get(0).served.get() + backends.get(1).served.get()).isEqualTo(24);
    }

    @Test
    void answers502WhenNoBackendAnswers() throws Exception {
        controller.subscribed("shop").process("shop", ProcessState.RUNNING, deadPort())
                .process("shop", ProcessState.RUNNING, deadPort());
        RawHttp.Response response = RawHttp.send(router.port(), "GET", "/shop/");
        assertThat(response.status()).isEqualTo(502);
        assertThat(response.body()).contains("no process of subscription 'shop' answered");
        await(() -> metrics.traffic("shop", table).errors() == 1);
    }

    @Test
    void preservesTheBackendsStatusAndCountsItsErrors() throws Exception {
        subscribe("shop", backends.get(0));
        assertThat(get("/shop/status/418").statusCode()).isEqualTo(418);
        assertThat(get("/shop/status/204").statusCode()).isEqualTo(204);
        assertThat(get("/shop/status/500").statusCode()).isEqualTo(500);
        assertThat(get("/shop/status/503").statusCode()).isEqualTo(503);
        // figures are final once the exchange is closed, just after the client has its answer
        await(() -> metrics.traffic("shop", table).requests() == 4);
        assertThat(metrics.traffic("shop", table).errors()).isEqualTo(2);
    }

    @Test
    void headKeepsTheContentLengthAndSendsNoBody() throws Exception {
        subscribe("shop", backends.get(0));
        RawHttp.Response response = RawHttp.send(router.port(), "HEAD", "/shop/big?bytes=12345");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Length")).isEqualTo("12345");
        assertThat(response.body()).isEmpty();
    }

    @Test
    void aBodyThatBreaksOffReachesTheClientTruncatedNotCompleteAndCountsAsAnError() throws Exception {
        subscribe("shop", backends.get(0));
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(url("/shop/broken"))).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        long received = 0;
        boolean failed = false;
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                received += n;
            }
        } catch (IOException e) {
            failed = true;
        }
        assertThat(failed || received < 1024 * 1024).as("truncation visible to the client").isTrue();
        assertThat(failed).as("the client's read fails instead of ending early and quietly").isTrue();
        await(() -> metrics.traffic("shop", table).errors() == 1);
        await(() -> metrics.requestsInFlight("shop") == 0);
        // and the router serves on
        assertThat(get("/shop/").statusCode()).isEqualTo(200);
    }

    @Test
    void dropsHopByHopHeadersBothWaysAndSetsXForwarded() throws Exception {
        subscribe("shop", backends.get(0));
        RawHttp.Response response = RawHttp.send(router.port(), "GET", "/hop",
                "Host: shop.stratos.local:9999",
                "Connection: X-Secret",
                "X-Secret: 1",
                "Keep-Alive: timeout=5",
                "TE: trailers",
                "Upgrade: websocket",
                "Proxy-Authorization: Basic Zm9vOmJhcg==",
                "X-Forwarded-For: 10.0.0.1",
                "X-Forwarded-Host: evil.example",
                "X-Custom: kept");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.echo("header.x-secret")).isNull();
        assertThat(response.echo("header.keep-alive")).isNull();
        assertThat(response.echo("header.te")).isNull();
        assertThat(response.echo("header.upgrade")).isNull();
        assertThat(response.echo("header.proxy-authorization")).isNull();
        assertThat(response.echo("header.x-custom")).isEqualTo("kept");
        // the client is no trusted proxy: what it claims is dropped, the router says what it saw
        assertThat(response.echo("header.x-forwarded-for")).isEqualTo("127.0.0.1");
        assertThat(response.echo("header.x-forwarded-host")).isEqualTo("shop.stratos.local:9999");
        assertThat(response.echo("header.x-forwarded-proto")).isEqualTo("http");
        assertThat(response.echo("header.host")).isEqualTo("127.0.0.1:" + backends.get(0).port());
        // and on the way back
        assertThat(response.header("X-Resp-Kept")).isEqualTo("shown");
        assertThat(response.header("X-Resp-Secret")).isNull();
        assertThat(response.header("Keep-Alive")).isNull();
        assertThat(response.header("Proxy-Authenticate")).isNull();
    }

    @Test
    void streamsLargeBodiesBothWaysWithoutBufferingThem() throws Exception {
        subscribe("shop", backends.get(0));
        // the test JVM has a 64 MB heap (see pom.xml): 100 MB through the router cannot have been buffered
        long size = 24L * 1024 * 1024;
        long huge = 100L * 1024 * 1024;
        for (String query : List.of("bytes=" + huge, "bytes=" + size + "&chunked")) {
            HttpResponse<InputStream> download = http.send(HttpRequest.newBuilder(URI.create(url("/shop/big?" + query))).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(download.statusCode()).isEqualTo(200);
            long received = 0;
            try (InputStream in = download.body()) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    received += n;
                }
            }
            assertThat(received).isEqualTo(query.contains("chunked") ? size : huge);
        }
        // upload: once with a length, once chunked (unknown length)
        HttpResponse<String> upload = http.send(HttpRequest.newBuilder(URI.create(url("/shop/upload")))
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> zeros(size)), size))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(echo(upload, "received")).isEqualTo(Long.toString(size));
        assertThat(echo(upload, "header.content-length")).isEqualTo(Long.toString(size));
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(URI.create(url("/shop/upload")))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> zeros(huge))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(echo(chunked, "received")).isEqualTo(Long.toString(huge));
    }

    @Test
    void countsRequestsInFlightWhileTheyRunAndBackToZero() throws Exception {
        subscribe("shop", backends.get(0), backends.get(1));
        List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            slow.add(http.sendAsync(HttpRequest.newBuilder(URI.create(url("/shop/slow"))).build(), HttpResponse.BodyHandlers.ofString()));
        }
        await(() -> metrics.requestsInFlight("shop") == 3);
        await(() -> backends.get(0).waiting.get() + backends.get(1).waiting.get() == 3);
        assertThat(metrics.traffic("shop", table).requestsInFlight()).isEqualTo(3);
        assertThat(table.cached("shop").backends()).extracting(Backend::inFlight).containsExactlyInAnyOrder(1, 2);
        backends.forEach(b -> b.release.countDown());
        for (CompletableFuture<HttpResponse<String>> response : slow) {
            assertThat(response.get().statusCode()).isEqualTo(200);
        }
        await(() -> metrics.requestsInFlight("shop") == 0);
        assertThat(table.cached("shop").backends()).extracting(Backend::inFlight).containsOnly(0);
        await(() -> metrics.traffic("shop", table).requests() == 3);
        assertThat(metrics.requestsInFlight("never-seen")).isZero();
    }

    @Test
    void aDrainedProcessGetsNoNewRequestAtOnceAndIsDrainedOnlyOnceItsRequestsHaveFinished() throws Exception {
        subscribe("shop", backends.get(0), backends.get(1));
        String leaving = controller.processes.get("shop").get(0).id(); // on backend "a"
        List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            slow.add(http.sendAsync(HttpRequest.newBuilder(URI.create(url("/shop/slow"))).build(), HttpResponse.BodyHandlers.ofString()));
        }
        await(() -> backends.get(0).waiting.get() == 1 && backends.get(1).waiting.get() == 1);

        // the controller scales in: the process is STOPPING; the backend list is still cached for 500 ms
        controller.stopping("shop", leaving);
        assertThat(table.drained("shop", leaving)).isFalse();
        Map<String, Integer> hits = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = get("/shop/");
            assertThat(response.statusCode()).isEqualTo(200);
            hits.merge(echo(response, "backend"), 1, Integer::sum);
        }
        assertThat(hits).containsOnlyKeys("b");
        assertThat(table.drained("shop", leaving)).as("a request to it is still in flight").isFalse();

        backends.forEach(b -> b.release.countDown());
        for (CompletableFuture<HttpResponse<String>> response : slow) {
            assertThat(response.get().statusCode()).isEqualTo(200);
        }
        await(() -> table.drained("shop", leaving));
        assertThat(metrics.traffic("shop", table).errors()).isZero();
    }

    @Test
    void asksTheControllerAtMostOncePerCachePeriod() throws Exception {
        subscribe("shop", backends.get(0));
        for (int i = 0; i < 50; i++) {
            get("/shop/");
        }
        // 50 requests well within 500 ms of each other would be one look-up; allow for a slow machine
        assertThat(controller.lookups.get()).isLessThanOrEqualTo(5);
        // a new process is seen after the cache period
        controller.process("shop", ProcessState.RUNNING, backends.get(1).port());
        skippedNanos.addAndGet(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(600));
        Map<String, Integer> hits = new HashMap<>();
        for (int i = 0; i < 4; i++) {
            hits.merge(echo(get("/shop/"), "backend"), 1, Integer::sum);
        }
        assertThat(hits).containsOnlyKeys("a", "b");
    }

    @Test
    void keepsServingTheLastKnownBackendsWhileTheControllerIsAway() throws Exception {
        subscribe("shop", backends.get(0));
        FakeController[] current = {controller};
        table = new BackendTable(new ControllerBackendSource(() -> current[0] == null ? null : current[0].service()), 50, clock);
        router.stop(0);
        router = new RouterServer(settings(), table, metrics, AccessLog.to(accessLines::add));
        router.start();
        assertThat(get("/shop/").statusCode()).isEqualTo(200);
        current[0] = null;
        skippedNanos.addAndGet(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(get("/shop/").statusCode()).isEqualTo(200);
        HttpResponse<String> unknown = get("/other/");
        assertThat(unknown.statusCode()).isEqualTo(503);
        assertThat(unknown.headers().firstValue("Retry-After")).hasValue("5");
    }

    static int deadPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static InputStream zeros(long size) {
        return new InputStream() {
            long left = size;

            @Override
            public int read() {
                return left-- > 0 ? 0 : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 0);
                left -= n;
                return n;
            }
        };
    }

    static void await(BooleanSupplier condition) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(condition::getAsBoolean);
    }
}
