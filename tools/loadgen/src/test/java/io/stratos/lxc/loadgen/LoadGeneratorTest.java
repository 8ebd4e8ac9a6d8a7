package io.stratos.lxc.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load generator against a real JDK HTTP server on 127.0.0.1. */
class LoadGeneratorTest {

    private HttpServer server;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger served = new AtomicInteger();
    private final Set<String> hosts = ConcurrentHashMap.newKeySet();
    private final Set<String> methods = ConcurrentHashMap.newKeySet();
    private volatile int status = 200;
    private volatile long sleepMillis;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        server.setExecutor(Executors.newFixedThreadPool(64));
        server.createContext("/", exchange -> {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            hosts.add(exchange.getRequestHeaders().getFirst("Host"));
            methods.add(exchange.getRequestMethod());
            try {
                if (sleepMillis > 0) {
                    Thread.sleep(sleepMillis); // the point: a server this slow to answer
                }
                byte[] body = "ok\n".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                served.incrementAndGet();
                inFlight.decrementAndGet();
                exchange.close();
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/work");
    }

    @Test
    void closedLoopKeepsExactlyTheScheduledNumberOfClientsBusy() throws Exception {
        sleepMillis = 50;
        LoadResult result = LoadGenerator.run(LoadPlan.of(url(), LoadPlan.Mode.CLOSED, Schedule.constant(3, Duration.ofMillis(1500)))
                .withInterval(Duration.ofMillis(500)));

        assertThat(maxInFlight.get()).isEqualTo(3);
        assertThat(result.failed()).isZero();
        assertThat(result.ok()).isEqualTo(result.sent()).isEqualTo(served.get()).isPositive();
        assertThat(result.intervals()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(result.intervals().get(0).level()).isEqualTo(3);
        assertThat(result.intervals().get(1).p50Millis()).isGreaterThanOrEqualTo(50);
    }

    @Test
    void closedLoopFollowsAStepSchedule() throws Exception {
        sleepMillis = 30;
        LoadResult result = LoadGenerator.run(LoadPlan.of(url(), LoadPlan.Mode.CLOSED, Schedule.parse("600ms:1,600ms:5"))
                .withInterval(Duration.ofMillis(300)));

        List<Interval> intervals = result.intervals();
        assertThat(intervals.get(0).level()).isEqualTo(1);
        assertThat(intervals.get(2).level()).isEqualTo(5);
        // one client at 30 ms per request cannot send what five send
        assertThat(intervals.get(2).sent()).isGreaterThan(2 * intervals.get(0).sent());
        assertThat(maxInFlight.get()).isEqualTo(5);
    }

    @Test
    void openLoopSendsAtItsRateWhateverTheServersLatency() throws Exception {
        sleepMillis = 300; // one closed-loop client would send 4 requests in 1.2 s
        LoadResult result = LoadGenerator.run(LoadPlan.of(url(), LoadPlan.Mode.OPEN, Schedule.constant(50, Duration.ofMillis(1200))));

        assertThat(result.sent()).isBetween(50L, 61L);
        assertThat(maxInFlight.get()).isGreaterThan(5);
        assertThat(result.failed()).isZero();
        assertThat(result.ok()).isEqualTo(result.sent());
    }

    @Test
    void failuresAreCountedByKind() throws Exception {
        status = 503;
        LoadResult http = LoadGenerator.run(LoadPlan.of(url(), LoadPlan.Mode.CLOSED, Schedule.constant(1, Duration.ofMillis(300))));
        assertThat(http.ok()).isZero();
        assertThat(http.failures()).containsOnlyKeys("http_503");
        assertThat(http.failed()).isEqualTo(http.sent()).isPositive();

        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        LoadResult refused = LoadGenerator.run(LoadPlan.of(URI.create("http://127.0.0.1:" + closed + "/"), LoadPlan.Mode.CLOSED,
                Schedule.constant(1, Duration.ofMillis(200))));
        assertThat(refused.failures()).containsOnlyKeys("connect");

        status = 200;
        sleepMillis = 1000;
        LoadResult slow = LoadGenerator.run(LoadPlan.of(url(), LoadPlan.Mode.CLOSED, Schedule.constant(2, Duration.ofMillis(300)))
                .withTimeout(Duration.ofMillis(100)));
        assertThat(slow.failures()).containsOnlyKeys("timeout");
        assertThat(slow.ok()).isZero();
    }

    @Test
    void openLoopDoesNotSendBeyondItsOutstandingLimit() throws Exception {
        sleepMillis = 1000;
        LoadResult result = LoadGenerator.run(LoadPlan.of(url(), LoadPlan.Mode.OPEN, Schedule.constant(100, Duration.ofMillis(500)))
                .withMaxOutstanding(5));
        assertThat(result.sent()).isEqualTo(5);
        assertThat(result.failures().get("overload")).isGreaterThan(30);
        assertThat(maxInFlight.get()).isEqualTo(5);
    }

    @Test
    void theRequestBudgetBoundsTheRun() throws Exception {
        LoadResult result = LoadGenerator.run(LoadPlan.of(url(), LoadPlan.Mode.CLOSED, Schedule.constant(4, Duration.ofSeconds(30)))
                .withMaxRequests(25));
        assertThat(result.sent()).isEqualTo(25);
        assertThat(served.get()).isEqualTo(25);
    }

    @Test
    void aRunCanBeStoppedAndItsLevelSetByHand() throws Exception {
        sleepMillis = 100;
        LoadRun run = LoadGenerator.start(LoadPlan.of(url(), LoadPlan.Mode.CLOSED, Schedule.parse("100ms:1,30s:4"))
                .withInterval(Duration.ofMillis(200)));
        run.level(1);
        await("a first request").atMost(Duration.ofSeconds(5)).until(() -> maxInFlight.get() >= 1);
        await("one in flight for 500 ms").during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> maxInFlight.get() == 1);
        run.level(4);
        // a busy machine may take a while to open the new connections
        await("four in flight").atMost(Duration.ofSeconds(5)).until(() -> maxInFlight.get() >= 4);
        assertThat(maxInFlight.get()).isEqualTo(4);
        assertThatThrownBy(() -> run.level(5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..4");
        run.stop();
        LoadResult result = run.await();
        assertThat(run.running()).isFalse();
        assertThat(result.intervals().size()).isLessThan(40);
        assertThat(result.intervals().get(0).level()).isEqualTo(1);
        assertThat(result.ok()).isEqualTo(served.get());
    }

    @Test
    void sendsTheHostHeaderItIsGiven() throws Exception {
        LoadGenerator.run(LoadPlan.of(url(), LoadPlan.Mode.CLOSED, Schedule.constant(1, Duration.ofMillis(200)))
                .withHostHeader("web.stratos.local"));
        assertThat(hosts).containsOnly("web.stratos.local");
    }

    @Test
    void sendsGetOrAnEmptyPost() throws Exception {
        LoadGenerator.run(LoadPlan.of(url(), LoadPlan.Mode.CLOSED, Schedule.constant(1, Duration.ofMillis(200))));
        assertThat(methods).containsOnly("GET");
        LoadResult post = LoadGenerator.run(LoadPlan.of(url(), LoadPlan.Mode.CLOSED, Schedule.constant(1, Duration.ofMillis(200)))
                .withMethod("POST"));
        assertThat(methods).containsOnly("GET", "POST");
        assertThat(post.failed()).isZero();
        assertThatThrownBy(() -> LoadPlan.of(url(), LoadPlan.Mode.CLOSED, Schedule.constant(1, Duration.ofMillis(200)))
                .withMethod("DELETE")).hasMessageContaining("GET or POST");
    }

    @Test
    void refusesEveryTargetOutsideThisMachine() {
        for (String url : List.of("http://10.0.0.1/", "http://example.com/", "http://128.0.0.1:80/", "https://127.0.0.1/",
                "http://[::1]:80/", "http://999.0.0.1/")) {
            assertThatThrownBy(() -> LoadPlan.of(URI.create(url), LoadPlan.Mode.OPEN, Schedule.constant(1, Duration.ofSeconds(1))))
                    .as(url).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only to 127.0.0.0/8")
                    .hasMessageContaining(url);
        }
        LoadPlan.of(URI.create("http://127.0.0.2:8080/"), LoadPlan.Mode.OPEN, Schedule.constant(1, Duration.ofSeconds(1)));
        LoadPlan.of(URI.create("http://localhost:8080/"), LoadPlan.Mode.OPEN, Schedule.constant(1, Duration.ofSeconds(1)));
    }

    @Test
    void refusesUnboundedOrNonsensePlans() {
        URI u = url();
        assertThatThrownBy(() -> LoadPlan.of(u, LoadPlan.Mode.CLOSED, Schedule.constant(2.5, Duration.ofSeconds(1))))
                .hasMessageContaining("whole numbers of clients");
        assertThatThrownBy(() -> LoadPlan.of(u, LoadPlan.Mode.CLOSED, Schedule.constant(5000, Duration.ofSeconds(1))))
                .hasMessageContaining("up to 1000");
        assertThatThrownBy(() -> LoadPlan.of(u, LoadPlan.Mode.OPEN, Schedule.constant(1, Duration.ofHours(7))))
                .hasMessageContaining("at most");
        assertThatThrownBy(() -> LoadPlan.of(u, LoadPlan.Mode.OPEN, Schedule.constant(1, Duration.ofSeconds(1))).withMaxRequests(0))
                .hasMessageContaining("maxRequests");
    }

    @Test
    void writesCsvAndJson(@TempDir Path dir) throws Exception {
        status = 500;
        LoadResult result = LoadGenerator.run(LoadPlan.of(url(), LoadPlan.Mode.CLOSED, Schedule.constant(1, Duration.ofMillis(400)))
                .withInterval(Duration.ofMillis(200)));
        result.writeCsv(dir.resolve("run.csv"));
        result.writeJson(dir.resolve("run.json"));

        List<String> csv = Files.readAllLines(dir.resolve("run.csv"));
        assertThat(csv.get(0)).isEqualTo("index,start_ms,epoch_ms,level,sent,ok,failed,failures,p50_ms,p99_ms");
        assertThat(csv).hasSize(result.intervals().size() + 1);
        assertThat(csv.get(1)).startsWith("0,0,").contains(",http_500=");
        String json = Files.readString(dir.resolve("run.json"));
        assertThat(json).contains("\"mode\": \"closed\"", "\"failures\": {\"http_500\": " + result.failed() + "}",
                "\"p99Millis\"", "\"epochMillis\"");
    }

    @Test
    void commandLineRunsAPlanAndRejectsBadArgumentsInOneLine(@TempDir Path dir) throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream()));
            System.setErr(new PrintStream(errors));
            assertThat(Main.run(new String[] {"--url", "http://192.168.1.1/", "--mode", "open", "--schedule", "1s:1"})).isEqualTo(2);
            assertThat(errors.toString()).startsWith("loadgen: the load generator sends only to 127.0.0.0/8");
            assertThat(Main.run(new String[] {"--url", url().toString(), "--mode", "sideways", "--schedule", "1s:1"})).isEqualTo(2);
            assertThat(Main.run(new String[] {"--url", url().toString(), "--mode", "open", "--schedule", "soon"})).isEqualTo(2);
            assertThat(errors.toString()).doesNotContain("Exception");

            Path json = dir.resolve("cli.json");
            assertThat(Main.run(new String[] {"--url", url().toString(), "--mode", "open", "--schedule", "square:40:0:200ms:2",
                    "--interval", "200ms", "--json", json.toString(), "--quiet"})).isZero();
            assertThat(Files.readString(json)).contains("\"mode\": \"open\"", "\"level\": 40", "\"level\": 0");
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertThat(served.get()).isBetween(14, 17);
    }
}
