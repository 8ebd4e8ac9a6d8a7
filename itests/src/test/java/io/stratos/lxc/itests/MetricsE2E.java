package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratos.lxc.itests.support.Await;
import io.stratos.lxc.itests.support.ControllerProcess;
import io.stratos.lxc.itests.support.FreePorts;
import io.stratos.lxc.itests.support.Http;
import io.stratos.lxc.itests.support.Json;
import io.stratos.lxc.itests.support.TestUsers;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * A real Prometheus (Debian's package, /usr/bin/prometheus) scrapes the built controller's {@code /stratos/metrics}
 * every second as a user of the {@code metrics} role, with a config this test writes; after a scale, a PromQL query
 * through Prometheus's HTTP API finds the subscription's RUNNING processes that REST shows. The endpoint refuses
 * anonymous callers (401) and other roles (403), and the metrics role reads nothing of the REST API (403).
 */
public class MetricsE2E {

    private static final String PROMETHEUS = "/usr/bin/prometheus";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ControllerProcess controller;
    private Process prometheus;

    @Before
    public void startController() throws Exception {
        assertTrue(PROMETHEUS + " is missing: scripts/host-setup.sh --test installs Debian's prometheus package",
                Files.isExecutable(Path.of(PROMETHEUS)));
        controller = ControllerProcess.create("controller-metrics").start();
        controller.awaitCartridge("static-httpd");
    }

    @After
    public void stop() throws Exception {
        try {
            if (prometheus != null) {
                prometheus.destroy();
                if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } finally {
            if (controller != null) {
                controller.close();
            }
        }
    }

    private String metricsUrl() {
        return "http://127.0.0.1:" + controller.httpPort() + "/stratos/metrics";
    }

    private HttpResponse<String> scrape(String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(metricsUrl())).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int running(String alias) throws Exception {
        return (int) Json.count(controller.get("/subscriptions/" + alias + "/processes"), "state", "RUNNING");
    }

    @Test
    public void prometheusScrapesTheFleetAndSeesWhatRestSees() throws Exception {
        // Who may read it.
        HttpResponse<String> anonymous = scrape(null);
        assertEquals(anonymous.body(), 401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("Content-Type").orElse(""), anonymous.headers().firstValue("Content-Type")
                .orElse("").startsWith("application/json"));
        assertTrue(anonymous.body(), Json.hasStrings(anonymous.body(), "error", "hint"));
        HttpResponse<String> tenant = scrape(TestUsers.basic(TestUsers.ALICE, TestUsers.ALICE_PASSWORD));
        assertEquals(tenant.body(), 403, tenant.statusCode());
        assertTrue(tenant.body(), tenant.body().contains("metrics"));
        HttpResponse<String> rest = controller.sendAs(TestUsers.METRICS, TestUsers.METRICS_PASSWORD, "GET", "/subscriptions", null);
        assertEquals("the metrics role reads nothing of the REST API: " + rest.body(), 403, rest.statusCode());
        assertEquals(403, controller.sendAs(TestUsers.METRICS, TestUsers.METRICS_PASSWORD, "GET", "/vms", null).statusCode());

        controller.expect(201, "POST", "/partitions", "{\"name\":\"web\",\"cartridge\":\"static-httpd\",\"minVms\":1,\"maxVms\":1}");
        controller.expect(201, "POST", "/subscriptions", "{\"alias\":\"shop\",\"cartridge\":\"static-httpd\",\"maxProcesses\":4}");
        Await.success("one RUNNING process of shop", Duration.ofSeconds(90), () -> {
            assertEquals(1, running("shop"));
            return null;
        });

        // Every part of the fleet is there, for a metrics user and for an admin.
        HttpResponse<String> text = scrape(TestUsers.basic(TestUsers.METRICS, TestUsers.METRICS_PASSWORD));
        assertEquals(text.body(), 200, text.statusCode());
        assertTrue(text.headers().firstValue("Content-Type").orElse(""),
                text.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        for (String series : List.of("stratos_subscriptions 1", "stratos_subscription_processes{alias=\"shop\",state=\"RUNNING\"} 1",
                "stratos_processes{cartridge=\"static-httpd\",state=\"RUNNING\"} 1", "stratos_vms{partition=\"web\",state=\"READY\"} 1",
                "stratos_partition_cpu_free_cores{partition=\"web\"}", "stratos_process_cpu_percent{alias=\"shop\"",
                "stratos_process_memory_bytes{alias=\"shop\"", "stratos_process_pids{alias=\"shop\"",
                "stratos_vm_report_age_seconds{partition=\"web\"", "stratos_router_listening 1",
                "stratos_autoscaler_decisions_total{", "stratos_autoscaler_pass_duration_seconds_count",
                "stratos_store_bytes ", "stratos_store_uploads_total ", "stratos_metrics_truncated 0",
                "stratos_metrics_part_up{part=\"controller\"} 1", "stratos_metrics_part_up{part=\"router\"} 1",
                "stratos_metrics_part_up{part=\"autoscaler\"} 1", "stratos_metrics_part_up{part=\"store\"} 1")) {
            assertTrue(series + " in\n" + text.body(), text.body().contains(series));
        }
        assertEquals(200, scrape(TestUsers.admin()).statusCode());
        HttpResponse<String> openMetrics = HTTP.send(HttpRequest.newBuilder(URI.create(metricsUrl()))
                .header("Authorization", TestUsers.admin()).header("Accept", "application/openmetrics-text; version=1.0.0")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(openMetrics.headers().firstValue("Content-Type").orElse(""),
                openMetrics.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"));
        assertTrue(openMetrics.body(), openMetrics.body().trim().endsWith("# EOF"));

        int prometheusPort = startPrometheus();
        Await.success("Prometheus scraping the controller", Duration.ofSeconds(60), () -> {
            assertEquals("1", queryValue(prometheusPort, "up{job=\"stratos\"}"));
            return null;
        });

        controller.expect(200, "PUT", "/subscriptions/shop/scale", "{\"processes\":3}");
        Await.success("3 RUNNING processes of shop", Duration.ofSeconds(90), () -> {
            assertEquals(3, running("shop"));
            return null;
        });
        Await.success("Prometheus's RUNNING count of shop equal to REST's", Duration.ofSeconds(30), () -> {
            String promql = "sum(stratos_subscription_processes{alias=\"shop\",state=\"RUNNING\"})";
            assertEquals(String.valueOf(running("shop")), queryValue(prometheusPort, promql));
            return null;
        });
        assertEquals("3", queryValue(prometheusPort, "count(stratos_process_memory_bytes{alias=\"shop\"})"));
    }

    /** Starts Prometheus with a config that scrapes the controller every second as the metrics user; returns its port. */
    private int startPrometheus() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "metrics-e2e").toAbsolutePath());
        int port = FreePorts.next();
        String config = """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: stratos
                    metrics_path: /stratos/metrics
                    scrape_timeout: 1s
                    basic_auth:
                      username: %s
                      password: %s
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(TestUsers.METRICS, TestUsers.METRICS_PASSWORD, controller.httpPort());
        Path configFile = dir.resolve("prometheus.yml");
        Files.writeString(configFile, config);
        Path data = dir.resolve("data-" + port);
        prometheus = new ProcessBuilder(PROMETHEUS, "--config.file=" + configFile, "--storage.tsdb.path=" + data,
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        Await.success("Prometheus ready on 127.0.0.1:" + port, Duration.ofSeconds(30), () -> {
            assertTrue("Prometheus exited: see " + dir.resolve("prometheus.log"), prometheus.isAlive());
            assertEquals(200, Http.get("http://127.0.0.1:" + port + "/-/ready").statusCode());
            return null;
        });
        return port;
    }

    /** The value of an instant PromQL query that yields one sample, as Prometheus writes it ("3", "1"). */
    private static String queryValue(int port, String promql) throws Exception {
        String url = "http://127.0.0.1:" + port + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
        String body = Http.get(url).body();
        JsonNode result = Json.tree(body).path("data").path("result");
        assertTrue(promql + " gave no sample: " + body, result.size() > 0);
        assertTrue(promql + " gave more than one sample: " + body, result.size() == 1);
        // a sample is [time, "value"]
        return result.get(0).path("value").get(1).asText();
    }
}
