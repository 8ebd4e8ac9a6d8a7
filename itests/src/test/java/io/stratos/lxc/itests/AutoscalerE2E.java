package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.stratos.lxc.itests.support.Await;
import io.stratos.lxc.itests.support.ControllerProcess;
import io.stratos.lxc.itests.support.Decisions;
import io.stratos.lxc.itests.support.Json;
import java.time.Duration;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Both levels of the autoscaler against real local VMs and LXC processes: processes that do not fit
 * bring another VM (level 2 out); idle processes are scaled down to the policy's minimum (level 1, after
 * the stabilisation window); the VMs left under-used are drained back to the partition's minimum
 * (level 2 in). Every step is a recorded decision.
 */
public class AutoscalerE2E {

    private ControllerProcess controller;

    @Before
    public void startController() throws Exception {
        controller = ControllerProcess.create("controller-autoscaler");
        controller.distribution().configure("io.stratos.lxc.autoscaler.cfg", "vmScaleInWindowSeconds", "5");
        controller.start();
        controller.awaitCartridge("static-httpd");
    }

    @After
    public void stopController() throws Exception {
        controller.close();
    }

    private int count(String path, String field, String value) throws Exception {
        return (int) Json.count(controller.get(path), field, value);
    }

    private String decisions() throws Exception {
        return controller.get("/autoscaler/decisions?limit=50");
    }

    /** Whether one of the decisions has this level, target and change. */
    private static boolean hasDecision(String json, String level, String target, int from, int to) {
        return Decisions.parse(json).stream().anyMatch(d -> d.is(level, target) && d.from() == from && d.to() == to);
    }

    @Test
    public void bothLevelsScaleOutAndBackIn() throws Exception {
        // Each VM holds 4 processes of static-httpd (100m, 16 MiB); one process is 25 % of a VM.
        controller.expect(201, "POST", "/autoscale-policies", "{\"name\":\"idle\",\"metrics\":{\"cpuPercent\":{\"target\":50}},"
                + "\"minProcesses\":1,\"scaleDownStabilizationSeconds\":5,\"scaleDownStep\":10}");
        controller.expect(201, "POST", "/partitions", "{\"name\":\"web\",\"cartridge\":\"static-httpd\",\"minVms\":1,\"maxVms\":3,"
                + "\"vmCapacity\":{\"cpuMillis\":400,\"memoryMiB\":64}}");
        controller.expect(201, "POST", "/subscriptions", "{\"alias\":\"auto\",\"cartridge\":\"static-httpd\",\"policy\":\"idle\","
                + "\"minProcesses\":1,\"maxProcesses\":8}");
        // A policy in use cannot be deleted.
        String conflict = controller.expect(409, "DELETE", "/autoscale-policies/idle", null);
        assertTrue(conflict, conflict.contains("auto"));

        controller.expect(200, "PUT", "/subscriptions/auto/scale", "{\"processes\":6}");

        // Level 2 out: 2 processes do not fit on the first VM, a second VM is asked for and they run there.
        Await.success("a PARTITION decision 1 -> 2", Duration.ofSeconds(30), () -> {
            String d = decisions();
            assertTrue(d, hasDecision(d, "PARTITION", "web", 1, 2));
            return null;
        });
        // Level 1: once all 6 run idle, the stabilisation window passes and it goes down to the policy's minimum.
        Await.success("a SUBSCRIPTION decision 6 -> 1", Duration.ofSeconds(120), () -> {
            String d = decisions();
            assertTrue(d, hasDecision(d, "SUBSCRIPTION", "auto", 6, 1));
            return null;
        });
        // Level 2 in: both VMs under 30 % allocated for 5 s, one is drained and destroyed.
        Await.success("a PARTITION decision 2 -> 1 and one VM left", Duration.ofSeconds(90), () -> {
            String d = decisions();
            assertTrue(d, hasDecision(d, "PARTITION", "web", 2, 1));
            String vms = controller.get("/vms");
            assertEquals(vms, List.of("READY"), Json.strings(vms, "state"));
            return null;
        });
        Await.success("one process RUNNING", Duration.ofSeconds(30), () -> {
            assertEquals(1, count("/subscriptions/auto/processes", "state", "RUNNING"));
            return null;
        });
        String d = decisions();
        assertTrue(d, !Json.strings(d, "reason").isEmpty());
        String status = controller.get("/status");
        assertTrue(status, Json.stream(Json.tree(status).path("components"))
                .anyMatch(c -> c.path("name").asText().equals("autoscaler") && c.path("state").asText().equals("ACTIVE")));
    }
}
