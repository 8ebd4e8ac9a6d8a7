package io.stratos.lxc.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.stratos.lxc.itests.support.ControllerProcess;
import io.stratos.lxc.itests.support.Json;
import io.stratos.lxc.itests.support.RawHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * What the built controller answers from the moment its HTTP port opens, and what Jetty answers itself before any
 * servlet: the API's JSON every time, never HTML or an empty body, and never a 404 for something that exists.
 */
public class ApiBootE2E {

    private static ControllerProcess controller;
    private static final List<Answer> duringBoot = new ArrayList<>();

    /** One answer seen while the controller booted. */
    private record Answer(String method, RawHttp.Response response) {
        boolean is(int status) {
            return response.status() == status && response.contentType().startsWith("application/json");
        }

        @Override
        public String toString() {
            return method + " " + response.status() + " " + response.contentType() + " retry-after="
                    + response.headers().getOrDefault("retry-after", "-") + " " + response.text().replaceAll("\\s+", " ");
        }
    }

    /** A PUT and a GET every 20 ms (fine enough to catch each step of the boot) until the API is ready. */
    @BeforeClass
    public static void bootWhilePolling() throws Exception {
        controller = ControllerProcess.create("controller-boot");
        controller.distribution().start();
        try {
            await("the API to come up").atMost(Duration.ofSeconds(120)).pollInSameThread().pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(20)).until(() -> {
                        RawHttp.Response put;
                        try {
                            put = controller.raw("PUT", "/partitions/static/scale", Map.of("Content-Type", "application/json"),
                                    "{\"vms\":1}".getBytes(StandardCharsets.UTF_8));
                        } catch (IOException portNotOpenYet) {
                            return false;
                        }
                        RawHttp.Response status = controller.raw("GET", "/status", Map.of(), null);
                        duringBoot.add(new Answer("PUT", put));
                        duringBoot.add(new Answer("GET", status));
                        return status.status() == 200 && put.status() != 503;
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the API did not come up in 120 s: " + duringBoot.subList(Math.max(0, duringBoot.size() - 4), duringBoot.size()));
        }
    }

    @AfterClass
    public static void stop() throws Exception {
        if (controller != null) {
            controller.close();
        }
    }

    @Test
    public void untilTheApiIsReadyEveryCallIsA503WithJsonAndRetryAfter() {
        List<Answer> wrong = new ArrayList<>();
        for (int i = 0; i < duringBoot.size() - 2; i++) {
            Answer answer = duringBoot.get(i);
            // the gate may open between a PUT and the GET that follows it
            boolean readyJustNow = answer.method().equals("GET") && answer.is(200);
            if (!readyJustNow && !(answer.is(503) && answer.response().headers().getOrDefault("retry-after", "").matches("\\d+")
                    && Json.hasStrings(answer.response().text(), "error"))) {
                wrong.add(answer);
            }
        }
        System.out.println("boot: " + duringBoot.size() / 2 + " polls before the API was ready; first: " + duringBoot.get(0));
        assertEquals("answers before the API was ready that were not a JSON 503 with Retry-After", List.of(), wrong);
        // ready: the partition does not exist in a fresh controller, and says so as JSON
        Answer lastPut = duringBoot.get(duringBoot.size() - 2);
        assertTrue(lastPut.toString(), lastPut.method().equals("PUT") && lastPut.is(404)
                && Json.hasStrings(lastPut.response().text(), "error") && Json.at(lastPut.response().text(), "/error").contains("no partition 'static'"));
    }

    @Test
    public void aPathWithAnEncodedNulIsTheApisJson400NotJettysHtml() throws Exception {
        RawHttp.Response nul = controller.raw("GET", "/subscriptions/a%00b", Map.of(), null);

        assertEquals(nul.text(), 400, nul.status());
        assertTrue(nul.contentType(), nul.contentType().startsWith("application/json"));
        assertTrue(nul.text(), Json.hasStrings(nul.text(), "error", "hint"));
    }

    @Test
    public void aPathNothingServesIsAJson404EvenForAPutNotPaxWebsEmptyOne() throws Exception {
        RawHttp.Response put = controller.raw("PUT", "/stratos/../nothing-here", Map.of("Content-Type", "text/plain"),
                "x".getBytes(StandardCharsets.UTF_8));

        assertEquals(put.text(), 404, put.status());
        assertTrue(put.contentType(), put.contentType().startsWith("application/json"));
        assertTrue(put.text(), Json.hasStrings(put.text(), "error", "hint") && Json.at(put.text(), "/hint").startsWith("the API lives under /stratos/api/v1"));
    }

    @Test
    public void aBadRequestLineIsJsonToo() throws Exception {
        RawHttp.Response bad = controller.raw("GET", "/status HTTP/1.1\r\nX: y\u0000z", Map.of(), null);

        assertEquals(bad.text(), 400, bad.status());
        assertTrue(bad.contentType(), bad.contentType().startsWith("application/json"));
    }
}
