package io.stratos.lxc.itests.support;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The built controller with one static-httpd subscription whose policy scales it to zero after a short quiet spell,
 * for the scale-to-zero test and benchmark: its VM stays up (the partition keeps one), so a cold request measures the
 * process start, not a VM's.
 */
public final class ScaleToZeroFixture implements AutoCloseable {

    public static final String ALIAS = "nap";

    private final ControllerProcess controller;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .proxy(HttpClient.Builder.NO_PROXY).build();

    private ScaleToZeroFixture(ControllerProcess controller) {
        this.controller = controller;
    }

    /** Starts the controller, the partition and the subscription; returns once the subscription has served a request. */
    public static ScaleToZeroFixture start(String name, int quietSeconds) throws Exception {
        ControllerProcess controller = ControllerProcess.create(name);
        ScaleToZeroFixture fixture = new ScaleToZeroFixture(controller);
        try {
            controller.distribution().configure("io.stratos.lxc.autoscaler.cfg", "intervalMillis", "250");
            controller.start();
            controller.awaitCartridge("static-httpd");
            controller.expect(201, "POST", "/autoscale-policies", "{\"name\":\"naps\",\"metrics\":{\"requestsInFlight\":"
                    + "{\"target\":5}},\"scaleToZeroAfterSeconds\":" + quietSeconds + "}");
            controller.expect(201, "POST", "/partitions", "{\"name\":\"web\",\"cartridge\":\"static-httpd\",\"minVms\":1,"
                    + "\"maxVms\":1,\"vmCapacity\":{\"cpuMillis\":2000,\"memoryMiB\":512}}");
            controller.expect(201, "POST", "/subscriptions", "{\"alias\":\"" + ALIAS + "\",\"cartridge\":\"static-httpd\","
                    + "\"policy\":\"naps\",\"minProcesses\":0,\"maxProcesses\":3}");
            Http.awaitOk(fixture.url(), Duration.ofSeconds(90));
            return fixture;
        } catch (Exception | AssertionError e) {
            controller.close();
            throw e;
        }
    }

    public ControllerProcess controller() {
        return controller;
    }

    public String url() {
        return "http://127.0.0.1:" + controller.routerPort() + "/" + ALIAS + "/";
    }

    /** The subscription as REST shows it. */
    public JsonNode subscription() throws Exception {
        return Json.tree(controller.get("/subscriptions/" + ALIAS));
    }

    /** Waits until the subscription wants no process and none is left. */
    public void awaitZero(Duration timeout) throws Exception {
        Await.success("subscription " + ALIAS + " at zero processes", timeout, () -> {
            JsonNode s = subscription();
            assertEquals(s.toString(), 0, s.path("desiredProcesses").asInt(-1));
            assertTrue(s.toString(), Json.tree(controller.get("/subscriptions/" + ALIAS + "/processes")).isEmpty());
            return null;
        });
    }

    /** One request through the router: its status and how long it took, in nanoseconds. */
    public long[] request() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url())).timeout(Duration.ofSeconds(60))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        return new long[] {answer.statusCode(), System.nanoTime() - start};
    }

    @Override
    public void close() throws Exception {
        controller.close();
    }
}
