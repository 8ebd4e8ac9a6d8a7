package io.stratos.lxc.hollow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator against a fake controller on 127.0.0.1 that speaks the agent protocol's HTTP shape. */
class HollowFleetTest {

    @TempDir
    Path dir;

    final ObjectMapper json = new ObjectMapper();
    final List<JsonNode> registrations = new CopyOnWriteArrayList<>();
    final List<JsonNode> reports = new CopyOnWriteArrayList<>();
    final List<String> polls = new CopyOnWriteArrayList<>();
    HttpServer server;

    @AfterEach
    void stop() {
        server.stop(0);
    }

    void startController() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/stratos/agent/v1/register", ex -> {
            registrations.add(json.readTree(ex.getRequestBody()));
            answer(ex, 200, "{\"agentId\":\"vm-1\",\"secret\":\"s3cret\",\"statusIntervalSeconds\":1,\"longPollSeconds\":2}");
        });
        server.createContext("/stratos/agent/v1/agents/vm-1/desired", ex -> {
            polls.add(ex.getRequestURI().getQuery() + " " + ex.getRequestHeaders().getFirst("Authorization"));
            if (ex.getRequestURI().getQuery().equals("since=0")) {
                answer(ex, 200, "{\"revision\":7,\"processes\":["
                        + "{\"processId\":\"web-1\",\"alias\":\"web\",\"cartridge\":\"static-httpd\",\"version\":\"1.0.0\",\"imageDigest\":\"sha256:ab\",\"runtime\":\"lxc\",\"cpuMillis\":100,\"memoryMiB\":16,\"env\":{}},"
                        + "{\"processId\":\"web-2\",\"alias\":\"web\",\"cartridge\":\"static-httpd\",\"version\":\"1.0.0\",\"imageDigest\":\"sha256:ab\",\"runtime\":\"lxc\",\"cpuMillis\":100,\"memoryMiB\":16,\"env\":{}}]}");
            } else {
                sleep(2000); // the point: the long poll times out unchanged
                answer(ex, 200, "{\"revision\":7,\"processes\":[]}");
            }
        });
        server.createContext("/stratos/agent/v1/agents/vm-1/status", ex -> {
            reports.add(json.readTree(ex.getRequestBody()));
            answer(ex, 204, null);
        });
        server.start();
    }

    @Test
    void aSpooledVmRegistersWithItsJoinTokenAndReportsEveryDesiredProcessRunning() throws Exception {
        startController();
        Path spool = dir.resolve("vms.spool");
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/stratos";
        Files.writeString(spool, "create vm-1 tok3n " + url + " web 3200 512\n");

        try (HollowFleet fleet = new HollowFleet(spool, 50)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !reports.isEmpty() && !fleet.deliveriesSince(0).isEmpty());
            assertThat(registrations).hasSize(1);
            assertThat(registrations.get(0).path("joinToken").asText()).isEqualTo("tok3n");
            assertThat(registrations.get(0).path("capacity").path("cpuMillis").asInt()).isEqualTo(3200);
            assertThat(polls.get(0)).isEqualTo("since=0 Bearer s3cret");
            assertThat(fleet.deliveriesSince(0)).extracting(HollowFleet.Delivery::revision).containsExactly(7L);

            JsonNode report = reports.get(reports.size() - 1);
            assertThat(report.path("revision").asLong()).isEqualTo(7);
            assertThat(report.path("processes")).hasSize(2);
            for (JsonNode p : report.path("processes")) {
                assertThat(p.path("state").asText()).isEqualTo("RUNNING");
                assertThat(p.path("metrics").path("cpuPercent").asDouble()).isBetween(48.0, 52.0);
                assertThat(p.path("metrics").path("memoryLimitBytes").asLong()).isEqualTo(16L << 20);
            }
            assertThat(report.path("cachedImages").get(0).asText()).isEqualTo("sha256:ab");
            assertThat(fleet.runningProcesses()).isEqualTo(2);
            // the next poll asks from the revision it has
            await().atMost(Duration.ofSeconds(10)).until(() -> polls.size() >= 2);
            assertThat(polls.get(1)).isEqualTo("since=7 Bearer s3cret");

            Files.writeString(spool, "destroy vm-1\n", java.nio.file.StandardOpenOption.APPEND);
            await().atMost(Duration.ofSeconds(10)).until(() -> fleet.agents() == 0);
            assertThat(fleet.agents()).isZero();
        }
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body == null ? -1 : bytes.length);
        if (body != null) {
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
