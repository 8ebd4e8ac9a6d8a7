package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.stratos.lxc.itests.support.ControllerProcess;
import io.stratos.lxc.itests.support.RawHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * What the built controller answers from the moment its HTTP port opens, and what Jetty answers itself before any
 * servlet: the API's JSON every time, never HTML or an empty body, and never a 404 for something that exists.
 */
public class ApiBootE2E {

    private static ControllerProcess controller;
    private static final List<String> duringBoot = new ArrayList<>();

    @BeforeClass
    public static void bootWhilePolling() throws Exception {
        controller = ControllerProcess.create("controller-boot");
        controller.distribution().start();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            RawHttp.Response put;
            try {
                put = controller.raw("PUT", "/partitions/static/scale", Map.of("Content-Type", "application/json"),
                        "{\"vms\":1}".getBytes(StandardCharsets.UTF_8));
            } catch (IOException portNotOpenYet) {
                Thread.sleep(20);
                continue;
            }
            RawHttp.Response status = controller.raw("GET", "/status", Map.of(), null);
            duringBoot.add("PUT " + describe(put));
            duringBoot.add("GET " + describe(status));
            if (status.status() == 200 && put.status() != 503) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the API did not come up in 120 s: " + duringBoot.subList(Math.max(0, duringBoot.size() - 4), duringBoot.size()));
    }

    @AfterClass
    public static void stop() throws Exception {
        if (controller != null) {
            controller.close();
        }
    }

    @Test
    public void untilTheApiIsReadyEveryCallIsA503WithJsonAndRetryAfter() {
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < duringBoot.size() - 2; i++) {
            String answer = duringBoot.get(i);
            // the gate may open between a PUT and the GET that follows it
            boolean readyJustNow = answer.startsWith("GET 200 application/json");
            if (!readyJustNow && !answer.matches("(PUT|GET) 503 application/json.* retry-after=\\d+ \\{.*\"error\".*")) {
                wrong.add(answer);
            }
        }
        System.out.println("boot: " + duringBoot.size() / 2 + " polls before the API was ready; first: " + duringBoot.get(0));
        assertEquals("answers before the API was ready that were not a JSON 503 with Retry-After", List.of(), wrong);
        // ready: the partition does not exist in a fresh controller, and says so as JSON
        String lastPut = duringBoot.get(duringBoot.size() - 2);
        assertTrue(lastPut, lastPut.startsWith("PUT 404 application/json") && lastPut.contains("no partition 'static'"));
    }

    @Test
    public void aPathWithAnEncodedNulIsTheApisJson400NotJettysHtml() throws Exception {
        RawHttp.Response nul = controller.raw("GET", "/subscriptions/a%00b", Map.of(), null);

        assertEquals(nul.text(), 400, nul.status());
        assertTrue(nul.contentType(), nul.contentType().startsWith("application/json"));
        assertTrue(nul.text(), nul.text().startsWith("{\"error\":") && nul.text().contains("\"hint\":"));
    }

    @Test
    public void aPathNothingServesIsAJson404EvenForAPutNotPaxWebsEmptyOne() throws Exception {
        RawHttp.Response put = controller.raw("PUT", "/stratos/../nothing-here", Map.of("Content-Type", "text/plain"),
                "x".getBytes(StandardCharsets.UTF_8));

        assertEquals(put.text(), 404, put.status());
        assertTrue(put.contentType(), put.contentType().startsWith("application/json"));
        assertTrue(put.text(), put.text().contains("\"hint\":\"the API lives under /stratos/api/v1"));
    }

    @Test
    public void aBadRequestLineIsJsonToo() throws Exception {
        RawHttp.Response bad = controller.raw("GET", "/status HTTP/1.1\r\nX: y\u0000z", Map.of(), null);

        assertEquals(bad.text(), 400, bad.status());
        assertTrue(bad.contentType(), bad.contentType().startsWith("application/json"));
    }

    private static String describe(RawHttp.Response r) {
        Map<String, String> h = new LinkedHashMap<>(r.headers());
        return r.status() + " " + r.contentType() + " retry-after=" + h.getOrDefault("retry-after", "-") + " "
                + r.text().replaceAll("\\s+", " ");
    }
}
