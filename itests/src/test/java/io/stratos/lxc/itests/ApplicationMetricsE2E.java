package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratos.lxc.itests.support.Await;
import io.stratos.lxc.itests.support.ControllerProcess;
import io.stratos.lxc.itests.support.Decisions;
import io.stratos.lxc.itests.support.Decisions.Decision;
import io.stratos.lxc.itests.support.Http;
import io.stratos.lxc.itests.support.Json;
import java.time.Duration;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * A policy that scales on a metric the application reports, on the built controller with real LXC processes: the
 * static-httpd cartridge serves the gauge queue_depth at /cgi-bin/metrics (its manifest's "metrics"), and the test
 * sets it per process through /cgi-bin/gauge. The agents scrape it, REST shows each process's value, and the
 * autoscaler scales out when it rises and back in when it falls, naming the metric and its values in its decisions.
 */
public class ApplicationMetricsE2E {

    private static final String ALIAS = "jobs";
    private ControllerProcess controller;

    @Before
    public void startController() throws Exception {
        controller = ControllerProcess.create("controller-app-metrics");
        controller.distribution().configure("io.stratos.lxc.autoscaler.cfg", "intervalMillis", "500");
        controller.distribution().configure("io.stratos.lxc.autoscaler.cfg", "metricWindowSeconds", "1");
        controller.start();
        controller.awaitCartridge("static-httpd");
    }

    @After
    public void stopController() throws Exception {
        controller.close();
    }

    private JsonNode processes() throws Exception {
        return Json.tree(controller.get("/subscriptions/" + ALIAS + "/processes"));
    }

    private List<JsonNode> running() throws Exception {
        return Json.stream(processes()).filter(p -> p.path("state").asText().equals("RUNNING")).toList();
    }

    /** Sets the gauge of one process, on its own endpoint (not through the router, which picks any). */
    private static void setGauge(JsonNode process, int value) throws Exception {
        String url = "http://" + process.path("endpoint").asText() + "/cgi-bin/gauge?queue_depth=" + value;
        assertEquals(url, 200, Http.get(url).statusCode());
    }

    private List<Decision> decisions() throws Exception {
        return Decisions.of(controller, 100).stream().filter(d -> d.is("SUBSCRIPTION", ALIAS)).toList();
    }

    @Test
    public void aPolicyScalesOutWhenTheApplicationsGaugeRisesAndBackInWhenItFalls() throws Exception {
        // a bad application metric target is a 400 naming the field, with a hint
        String refused = controller.expect(400, "POST", "/autoscale-policies", "{\"name\":\"queue\",\"metrics\":{\"custom\":"
                + "{\"name\":\"queue_depth\",\"target\":5,\"aggregate\":\"median\"}}}");
        assertEquals(refused, "metrics.custom.aggregate", Json.tree(refused).path("field").asText());
        assertTrue(refused, Json.tree(refused).path("hint").asText().contains("avg"));

        String policy = controller.expect(201, "POST", "/autoscale-policies", "{\"name\":\"queue\",\"metrics\":{\"custom\":"
                + "{\"name\":\"queue_depth\",\"target\":5,\"aggregate\":\"avg\"}},\"scaleUpCooldownSeconds\":0,"
                + "\"scaleUpStep\":10,\"scaleDownStep\":10,\"scaleDownStabilizationSeconds\":3}");
        assertEquals(policy, "queue_depth", Json.tree(policy).path("metrics").path("custom").path("name").asText());
        controller.expect(201, "POST", "/partitions", "{\"name\":\"web\",\"cartridge\":\"static-httpd\",\"minVms\":1,"
                + "\"maxVms\":1,\"vmCapacity\":{\"cpuMillis\":2000,\"memoryMiB\":512}}");
        controller.expect(201, "POST", "/subscriptions", "{\"alias\":\"" + ALIAS + "\",\"cartridge\":\"static-httpd\","
                + "\"policy\":\"queue\",\"minProcesses\":1,\"maxProcesses\":3}");

        // the agent scrapes the process and REST shows its value: 0 until the test sets it
        JsonNode first = Await.success("one RUNNING process reporting queue_depth", Duration.ofSeconds(40), () -> {
            List<JsonNode> running = running();
            assertEquals(processes().toString(), 1, running.size());
            JsonNode application = running.get(0).path("metrics").path("application");
            assertEquals(running.get(0).toString(), 0.0, application.path("queue_depth").asDouble(-1), 0.0);
            return running.get(0);
        });

        // rises: 12 on one process, target 5 per process -> ceil(1 * 12 / 5) = 3 (through 2 if the window's average
        // passes 5 on its way up)
        setGauge(first, 12);
        Await.success("scaled out to 3 on queue_depth", Duration.ofSeconds(20), () -> {
            List<Decision> out = decisions().stream().filter(d -> d.from() < d.to()).toList();
            assertTrue(decisions().toString(), out.stream().anyMatch(d -> d.to() == 3));
            out.forEach(d -> assertTrue(d.toString(), d.reason().contains("queue_depth.avg")));
            return null;
        });
        String log = controller.get("/autoscaler/decisions?limit=100");
        assertTrue(log, Json.stream(Json.tree(log)).anyMatch(d -> d.path("metrics").has("queue_depth.avg"))
                && Json.stream(Json.tree(log)).anyMatch(d -> d.path("metrics").path("queue_depth.max").asDouble() == 12.0));

        // the new processes report 0: avg 4 on 3 keeps 3; then every process falls to 0 -> back in to the minimum of 1
        List<JsonNode> three = Await.success("3 RUNNING processes reporting queue_depth", Duration.ofSeconds(30), () -> {
            List<JsonNode> running = running();
            assertEquals(processes().toString(), 3, running.size());
            running.forEach(p -> assertTrue(p.toString(), p.path("metrics").path("application").has("queue_depth")));
            return running;
        });
        for (JsonNode process : three) {
            setGauge(process, 0);
        }
        // (through 2 when the stabilisation window still holds a recommendation of 2)
        Await.success("scaled back in to 1 as queue_depth fell", Duration.ofSeconds(20), () -> {
            List<Decision> in = decisions().stream().filter(d -> d.from() > d.to()).toList();
            assertTrue(decisions().toString(), in.stream().anyMatch(d -> d.to() == 1));
            in.forEach(d -> assertTrue(d.toString(), d.reason().contains("queue_depth.avg 0.0")));
            return null;
        });
        Await.success("one RUNNING process left", Duration.ofSeconds(20), () -> {
            assertEquals(processes().toString(), 1, processes().size());
            return null;
        });
    }
}
