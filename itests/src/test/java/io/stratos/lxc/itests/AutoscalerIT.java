package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.stratos.lxc.api.status.ComponentState;
import io.stratos.lxc.api.status.ComponentStatus;
import io.stratos.lxc.api.status.StatusService;
import io.stratos.lxc.itests.support.Http;
import io.stratos.lxc.itests.support.Json;
import io.stratos.lxc.itests.support.StratosKarafTestSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import javax.inject.Inject;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The autoscaler in {@code stratos-lxc}: policies over REST and the shell (bad ones refused with a 4xx
 * naming the field), decisions visible over REST and JMX, a bad configuration shown as UNCONFIGURED.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AutoscalerIT extends StratosKarafTestSupport {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Inject
    StatusService statusService;

    @Inject
    MBeanServer mbeanServer;

    @Inject
    ConfigurationAdmin configurationAdmin;

    private static HttpResponse<String> send(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = Http.request(api(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json");
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    public void policiesOverRest() throws Exception {
        Http.awaitOk(api("/autoscale-policies"), Duration.ofSeconds(30));
        String policy = "{\"name\":\"it-web\",\"metrics\":{\"requestsInFlight\":{\"target\":10},\"cpuPercent\":{\"target\":60}},"
                + "\"minProcesses\":1,\"maxProcesses\":8,\"scaleUpCooldownSeconds\":30,\"scaleDownStabilizationSeconds\":120,"
                + "\"predict\":true}";
        HttpResponse<String> created = send("POST", "/autoscale-policies", policy);
        assertEquals(created.body(), 201, created.statusCode());
        assertTrue(created.body(), Json.tree(created.body()).has("scaleUpStep"));
        assertEquals(409, send("POST", "/autoscale-policies", policy).statusCode());

        HttpResponse<String> bad = send("POST", "/autoscale-policies",
                "{\"name\":\"it-bad\",\"metrics\":{\"cpuPercent\":{\"target\":-1}}}");
        assertEquals(bad.body(), 400, bad.statusCode());
        assertEquals(bad.body(), "metrics.cpuPercent.target", Json.at(bad.body(), "/field"));
        HttpResponse<String> badTolerance = send("POST", "/autoscale-policies",
                "{\"name\":\"it-bad\",\"metrics\":{\"cpuPercent\":{\"target\":50}},\"tolerance\":2}");
        assertTrue(badTolerance.body(), badTolerance.statusCode() == 400 && "tolerance".equals(Json.at(badTolerance.body(), "/field")));

        HttpResponse<String> updated = send("PUT", "/autoscale-policies/it-web", "{\"metrics\":{\"cpuPercent\":{\"target\":70}}}");
        assertEquals(updated.body(), 200, updated.statusCode());
        assertTrue(Http.get(api("/autoscale-policies/it-web")).body().contains("70.0"));
        assertEquals(204, send("DELETE", "/autoscale-policies/it-web", null).statusCode());
        assertEquals(404, Http.get(api("/autoscale-policies/it-web")).statusCode());

        HttpResponse<String> decisions = Http.get(api("/autoscaler/decisions?limit=5"));
        assertEquals(200, decisions.statusCode());
        assertEquals(400, Http.get(api("/autoscaler/decisions?limit=0")).statusCode());
    }

    @Test
    public void policiesInTheShell() throws Exception {
        awaitCommand("stratos:policy-list", out -> out.contains("Targets"), Duration.ofSeconds(20));
        String created = executeCommand("stratos:policy-create it-shell --cpu 60 --max 5 --metric queueDepth=20");
        assertTrue(created, created.contains("Policy it-shell created"));
        String list = executeCommand("stratos:policy-list");
        assertTrue(list, list.contains("it-shell") && list.contains("queueDepth=20.0"));
        executeCommand("stratos:autoscale-decisions -n 5");
        String deleted = executeCommand("stratos:policy-delete it-shell");
        assertTrue(deleted, deleted.contains("deleted"));
    }

    @Test
    public void theMBeanAndTheStatus() throws Exception {
        ObjectName name = new ObjectName("io.stratos.lxc:type=Autoscaler");
        await("the Autoscaler MBean", () -> mbeanServer.isRegistered(name), Duration.ofSeconds(20));
        assertEquals(Boolean.TRUE, mbeanServer.getAttribute(name, "Enabled"));
        assertTrue(mbeanServer.getAttribute(name, "DecisionsPerMinute") instanceof Integer);
        assertTrue(mbeanServer.getAttribute(name, "Pending") instanceof Integer);
        assertTrue(mbeanServer.getAttribute(name, "LastDecision") instanceof String);

        await("autoscaler ACTIVE", () -> state() == ComponentState.ACTIVE, Duration.ofSeconds(20));
        Configuration configuration = configurationAdmin.getConfiguration("io.stratos.lxc.autoscaler", null);
        Dictionary<String, Object> bad = new Hashtable<>();
        bad.put("vmScaleInUtilisation", "thirty percent");
        configuration.update(bad);
        await("UNCONFIGURED", () -> state() == ComponentState.UNCONFIGURED, Duration.ofSeconds(10));
        assertTrue(component().detail().contains("vmScaleInUtilisation"));
        Dictionary<String, Object> good = new Hashtable<>();
        good.put("vmScaleInUtilisation", "0.3");
        configuration.update(good);
        await("ACTIVE again", () -> state() == ComponentState.ACTIVE, Duration.ofSeconds(10));
    }

    private ComponentState state() {
        ComponentStatus component = component();
        return component == null ? null : component.state();
    }

    private ComponentStatus component() {
        return statusService.status().components().stream().filter(c -> c.name().equals("autoscaler")).findFirst().orElse(null);
    }
}
