package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratos.lxc.itests.support.Await;
import io.stratos.lxc.itests.support.ControllerProcess;
import io.stratos.lxc.itests.support.Json;
import io.stratos.lxc.itests.support.TestUsers;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The controller's history against the built distribution with real local VMs and LXC processes, sampled every
 * second (io.stratos.lxc.history.cfg): a subscription scaled from 1 to 2 shows both counts in its history, the newest
 * sample with 2 RUNNING, as REST's processes say; its partition's VM is READY in the partition's history; the shell
 * prints the same; bad minutes are a 400, an unknown alias a 404, another tenant's alias a 404.
 */
public class HistoryE2E {

    private ControllerProcess controller;

    @Before
    public void startController() throws Exception {
        controller = ControllerProcess.create("controller-history");
        controller.distribution().configure("io.stratos.lxc.history.cfg", "intervalSeconds", "1");
        controller.start();
        controller.awaitCartridge("static-httpd");
    }

    @After
    public void stopController() throws Exception {
        controller.close();
    }

    private JsonNode samples(String path) throws Exception {
        JsonNode history = Json.tree(controller.get(path));
        assertEquals(history.toString(), 1, history.get("intervalSeconds").asInt());
        return history.get("samples");
    }

    @Test
    public void aScaledSubscriptionsHistoryShowsTheRunningCountBeforeAndAfter() throws Exception {
        controller.expect(201, "POST", "/partitions", "{\"name\":\"web\",\"cartridge\":\"static-httpd\",\"minVms\":1,\"maxVms\":1,"
                + "\"vmCapacity\":{\"cpuMillis\":1000,\"memoryMiB\":256}}");
        controller.expect(201, "POST", "/subscriptions", "{\"alias\":\"shop\",\"cartridge\":\"static-httpd\",\"minProcesses\":1,"
                + "\"maxProcesses\":3}");
        Await.success("shop's first process RUNNING, sampled", Duration.ofSeconds(120), () -> {
            JsonNode samples = samples("/subscriptions/shop/history");
            assertTrue(samples.toString(), samples.size() > 0 && samples.get(samples.size() - 1).get("running").asInt() == 1);
            return null;
        });
        controller.expect(200, "PUT", "/subscriptions/shop/scale", "{\"processes\":2}");
        Await.success("2 RUNNING in REST and in the newest sample", Duration.ofSeconds(120), () -> {
            assertEquals(2, Json.count(controller.get("/subscriptions/shop/processes"), "state", "RUNNING"));
            JsonNode samples = samples("/subscriptions/shop/history?minutes=5");
            assertEquals(samples.toString(), 2, samples.get(samples.size() - 1).get("running").asInt());
            return null;
        });
        JsonNode samples = samples("/subscriptions/shop/history");
        boolean sawOne = false;
        long previous = 0;
        for (JsonNode sample : samples) {
            sawOne |= sample.get("running").asInt() == 1;
            assertTrue("oldest first: " + samples, sample.get("t").asLong() > previous);
            previous = sample.get("t").asLong();
            assertTrue(sample.toString(), sample.get("memoryBytes").asLong() >= 0 && sample.get("cpu").asDouble() >= 0);
        }
        assertTrue("the count before the scale is in the history: " + samples, sawOne);
        assertTrue(samples.toString(), Math.abs(System.currentTimeMillis() - previous) < 10_000);
        assertTrue(Json.tree(controller.get("/subscriptions/shop/history")).get("tracked").asBoolean());

        // The partition: its one VM READY, part of its capacity allocated to the two processes.
        JsonNode vms = samples("/partitions/web/history?minutes=1");
        JsonNode last = vms.get(vms.size() - 1);
        assertEquals(last.toString(), 1, last.get("vms").asInt());
        assertEquals(last.toString(), 1, last.get("states").get("READY").asInt());
        assertTrue(last.toString(), last.get("allocated").get("cpuMillis").asInt() > 0);
        assertEquals(last.toString(), 1000, last.get("allocated").get("cpuMillis").asInt() + last.get("free").get("cpuMillis").asInt());

        // The shell shows the same.
        String shell = controller.distribution().client(controller.sshPort(), "stratos:subscription-history --minutes 2 shop");
        assertTrue(shell, shell.contains("samples every 1 s in the last 2 minutes"));
        assertTrue(shell, shell.matches("(?s).*\\d\\d:\\d\\d:\\d\\d\\s*\\|\\s*2\\s*\\|.*"));

        // What is refused, and how.
        for (String minutes : new String[] {"0", "61", "abc"}) {
            HttpResponse<String> bad = controller.send("GET", "/subscriptions/shop/history?minutes=" + minutes, null);
            assertEquals(bad.body(), 400, bad.statusCode());
            assertTrue(bad.body(), bad.body().contains("from 1 to 60") && "minutes".equals(Json.at(bad.body(), "/field")));
        }
        HttpResponse<String> unknown = controller.send("GET", "/subscriptions/nothing/history", null);
        assertEquals(unknown.body(), 404, unknown.statusCode());
        assertTrue(unknown.body(), Json.hasStrings(unknown.body(), "error"));
        HttpResponse<String> others = controller.sendAs(TestUsers.ALICE, TestUsers.ALICE_PASSWORD, "GET", "/subscriptions/shop/history", null);
        assertEquals(others.body(), 404, others.statusCode());
        assertEquals(403, controller.sendAs(TestUsers.ALICE, TestUsers.ALICE_PASSWORD, "GET", "/partitions/web/history", null).statusCode());

        // Unsubscribed: forgotten.
        controller.expect(204, "DELETE", "/subscriptions/shop", null);
        controller.expect(201, "POST", "/subscriptions", "{\"alias\":\"shop\",\"cartridge\":\"static-httpd\"}");
        Await.success("a new shop starts a new history", Duration.ofSeconds(30), () -> {
            JsonNode fresh = samples("/subscriptions/shop/history");
            assertTrue(fresh.toString(), fresh.size() > 0);
            assertFalse(fresh.toString(), fresh.get(0).get("t").asLong() <= samples.get(samples.size() - 1).get("t").asLong());
            return null;
        });
        String status = controller.get("/status");
        assertEquals(status, "ACTIVE", Json.componentState(status, "history"));
    }
}
