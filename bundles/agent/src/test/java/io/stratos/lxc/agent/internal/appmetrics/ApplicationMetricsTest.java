package io.stratos.lxc.agent.internal.appmetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.stratos.lxc.api.agent.DesiredProcess;
import io.stratos.lxc.api.controller.ProcessMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scrape's bounds against a real HTTP server on 127.0.0.1: every bad answer is ignored with a reason. */
class ApplicationMetricsTest {

    HttpServer server;
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger redirectTargetHits = new AtomicInteger();
    ApplicationMetrics metrics;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/good", x -> answer(x, 200, "# TYPE queue_depth gauge\nqueue_depth{q=\"a\"} 4\nqueue_depth{q=\"b\"} 3\n"));
        server.createContext("/garbage", x -> answer(x, 200, "<html><body>not metrics</body></html>"));
        server.createContext("/error", x -> answer(x, 500, "queue_depth 1\n"));
        server.createContext("/huge", x -> answer(x, 200, "queue_depth 1\n" + "# padding\n".repeat(10_000)));
        server.createContext("/huge-chunked", x -> {
            x.sendResponseHeaders(200, 0); // chunked: no Content-Length to refuse it by
            try (OutputStream out = x.getResponseBody()) {
                for (int i = 0; i < 10_000; i++) {
                    out.write("# padding\n".getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the scraper hung up, as it should
            }
        });
        server.createContext("/slow", x -> {
            x.sendResponseHeaders(200, 0);
            try (OutputStream out = x.getResponseBody()) {
                out.write("queue_depth 1\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                release.await(); // never completes while the test runs
            } catch (IOException | InterruptedException e) {
                // closed at the end of the test
            }
        });
        server.createContext("/redirect", x -> {
            x.getResponseHeaders().add("Location", "/elsewhere");
            answer(x, 302, "");
        });
        server.createContext("/elsewhere", x -> {
            redirectTargetHits.incrementAndGet();
            answer(x, 200, "queue_depth 99\n");
        });
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    static void answer(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Scrapes {@code path} of a process published on {@code port} and waits for the outcome. */
    ProcessMetrics scrape(String path, int port) {
        metrics = new ApplicationMetrics(digest -> Optional.ofNullable(path), p -> "127.0.0.1:" + p);
        DesiredProcess process = new DesiredProcess("p-1", "jobs", "static-httpd", "1.0.0", "sha256:00", "lxc", 100, 16,
                Map.of(), null, List.of("queue_depth"));
        metrics.scrape(process, port);
        return await().atMost(Duration.ofSeconds(10)).until(() -> metrics.decorate("p-1", ProcessMetrics.NONE),
                m -> !m.application().isEmpty() || m.applicationProblem() != null);
    }

    ProcessMetrics scrape(String path) {
        return scrape(path, server.getAddress().getPort());
    }

    @Test
    void aGoodAnswerGivesTheWantedValue() {
        ProcessMetrics m = scrape("/good");
        assertThat(m.application()).isEqualTo(Map.of("queue_depth", 7.0));
        assertThat(m.applicationProblem()).isNull();
    }

    @Test
    void garbageIsIgnoredWithAReason() {
        ProcessMetrics m = scrape("/garbage");
        assertThat(m.application()).isEmpty();
        assertThat(m.applicationProblem()).startsWith("metrics GET /garbage: not OpenMetrics or Prometheus text (line 1");
    }

    @Test
    void anErrorStatusIsIgnored() {
        assertThat(scrape("/error").applicationProblem()).isEqualTo("metrics GET /error: answered HTTP 500; ignored");
    }

    @Test
    void aHugeBodyIsCutOffByItsLengthOrWhileItArrives() {
        assertThat(scrape("/huge").applicationProblem()).contains("answered more than 65536 bytes");
        assertThat(scrape("/huge-chunked").applicationProblem()).contains("answered more than 65536 bytes");
    }

    @Test
    void aSlowAnswerIsGivenUpOn() {
        ProcessMetrics m = scrape("/slow");
        assertThat(m.application()).isEmpty();
        assertThat(m.applicationProblem()).isEqualTo("metrics GET /slow: no complete answer within 1000 ms; ignored");
    }

    @Test
    void aRedirectIsNotFollowed() {
        ProcessMetrics m = scrape("/redirect");
        assertThat(m.application()).isEmpty();
        assertThat(m.applicationProblem()).contains("answered HTTP 302 (a redirect to /elsewhere; redirects are not followed)");
        assertThat(redirectTargetHits).hasValue(0);
    }

    @Test
    void nothingListeningIsIgnored() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        assertThat(scrape("/good", closed).applicationProblem()).startsWith("metrics GET /good: no answer");
    }

    @Test
    void aCartridgeWithoutAMetricsPathSaysSo() {
        assertThat(scrape(null).applicationProblem()).contains("declares no \"metrics\"");
    }

    @Test
    void aMissingMetricIsNamed() {
        server.createContext("/other", x -> answer(x, 200, "up 1\n"));
        assertThat(scrape("/other").applicationProblem()).isEqualTo("metrics GET /other: no sample of queue_depth");
    }
}
