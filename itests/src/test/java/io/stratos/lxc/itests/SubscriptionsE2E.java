package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.stratos.lxc.itests.support.Await;
import io.stratos.lxc.itests.support.ControllerProcess;
import io.stratos.lxc.itests.support.Http;
import io.stratos.lxc.itests.support.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Subscriptions run as real LXC containers on local VMs (agent distributions): they serve HTTP on
 * 127.0.0.1, spread over VMs, move when a VM dies, and a controller killed mid-scale comes back with
 * the same subscriptions and neither lost nor duplicated processes.
 */
public class SubscriptionsE2E {

    private static final String PAGE = "Hello from the static-httpd cartridge";

    private ControllerProcess controller;

    @Before
    public void startController() throws Exception {
        controller = ControllerProcess.create("controller-subs").start();
        controller.awaitCartridge("static-httpd");
    }

    @After
    public void stopController() throws Exception {
        controller.close();
    }

    /** A process as the REST API shows it. */
    record Proc(String id, String vm, String state, int port) {
    }

    private List<Proc> processes(String alias) throws Exception {
        String json = controller.get("/subscriptions/" + alias + "/processes");
        return Json.stream(Json.tree(json)).map(p -> new Proc(p.path("id").textValue(), p.path("vmId").textValue(),
                p.path("state").textValue(), p.path("hostPort").intValue())).toList();
    }

    /** Waits until the subscription has exactly {@code count} processes, all RUNNING and serving the page. */
    private List<Proc> awaitServing(String alias, int count) throws Exception {
        return Await.success(count + " serving processes of " + alias, Duration.ofSeconds(90), () -> {
            List<Proc> procs = processes(alias);
            assertEquals(procs.toString(), count, procs.size());
            for (Proc p : procs) {
                assertEquals(p.toString(), "RUNNING", p.state());
                assertTrue(p + " serves the page", Http.get("http://127.0.0.1:" + p.port() + "/").body().contains(PAGE));
            }
            return procs;
        });
    }

    private List<String> readyVms() throws Exception {
        String vms = controller.get("/vms");
        List<String> ids = Json.strings(vms, "id");
        List<String> states = Json.strings(vms, "state");
        List<String> ready = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if (states.get(i).equals("READY")) {
                ready.add(ids.get(i));
            }
        }
        return ready;
    }

    private void awaitReadyVms(int count) throws Exception {
        Await.success(count + " READY VMs", Duration.ofSeconds(60), () -> {
            assertEquals(count, readyVms().size());
            return null;
        });
    }

    @Test
    public void subscriptionsServeFromLxcSpreadOverVmsAndMoveWhenAVmIsLost() throws Exception {
        controller.expect(201, "POST", "/partitions", "{\"name\":\"web\",\"cartridge\":\"static-httpd\",\"minVms\":2,\"maxVms\":3}");
        awaitReadyVms(2);
        controller.expect(201, "POST", "/subscriptions", "{\"alias\":\"one\",\"cartridge\":\"static-httpd\",\"minProcesses\":1,\"maxProcesses\":6}");
        controller.expect(201, "POST", "/subscriptions", "{\"alias\":\"two\",\"cartridge\":\"static-httpd\"}");
        controller.expect(200, "PUT", "/subscriptions/one/scale", "{\"processes\":5}");

        List<Proc> one = awaitServing("one", 5);
        awaitServing("two", 1);
        assertEquals("processes of a subscription spread over both VMs", 2, one.stream().map(Proc::vm).distinct().count());
        // Both are reached through the router: by path and by Host header.
        String router = "http://127.0.0.1:" + controller.routerPort() + "/";
        Await.success("the router serving both aliases", Duration.ofSeconds(20), () -> {
            assertTrue(Http.get(router + "one/").body().contains(PAGE));
            String two = Http.getWithHost(controller.routerPort(), "/", "two.stratos.local");
            assertTrue(two, two.startsWith("HTTP/1.1 200") && two.contains(PAGE));
            return null;
        });

        // A version in use cannot be deleted.
        String version = Json.at(controller.get("/subscriptions/one"), "/version");
        String conflict = controller.expect(409, "DELETE", "/cartridges/static-httpd/versions/" + version, null);
        assertTrue(conflict, conflict.contains("one") && conflict.contains("two"));

        // The loss of a whole VM: its agent and its containers die.
        String victim = one.get(0).vm();
        Path vmDir = controller.vmsDirectory().resolve(victim);
        controller.agents().stream()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(vmDir.toString())).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
        new ProcessBuilder(vmDir.resolve("home/bin/stratos-agent-cleanup").toString(), vmDir.resolve("agent-data").toString(), victim)
                .inheritIO().start().waitFor();
        assertEquals(List.of(), controller.runningContainers(victim));

        List<Proc> moved = awaitServing("one", 5);
        assertTrue(moved.toString(), moved.stream().noneMatch(p -> victim.equals(p.vm())));
        assertTrue(awaitServing("two", 1).stream().noneMatch(p -> victim.equals(p.vm())));
        assertEquals("LOST", Json.element(controller.get("/vms"), "id", victim).path("state").asText());
    }

    @Test
    public void aControllerKilledMidScaleComesBackWithoutLostOrDuplicatedProcesses() throws Exception {
        controller.expect(201, "POST", "/partitions", "{\"name\":\"web\",\"cartridge\":\"static-httpd\",\"minVms\":1,\"maxVms\":1}");
        awaitReadyVms(1);
        String vm = readyVms().get(0);
        controller.expect(201, "POST", "/subscriptions", "{\"alias\":\"hello\",\"cartridge\":\"static-httpd\",\"maxProcesses\":5}");
        awaitServing("hello", 1);

        controller.expect(200, "PUT", "/subscriptions/hello/scale", "{\"processes\":4}");
        controller.distribution().kill();
        controller.start();

        String subscription = controller.get("/subscriptions/hello");
        int desired = Integer.parseInt(Json.at(subscription, "/desiredProcesses"));
        assertEquals("the scale was committed before the kill", 4, desired);
        List<Proc> procs = awaitServing("hello", desired);
        assertEquals(desired, new HashSet<>(procs.stream().map(Proc::id).toList()).size());
        // Exactly one container per process on the VM: none lost, none started twice.
        Await.success("one container per process", Duration.ofSeconds(30), () -> {
            List<String> containers = controller.runningContainers(vm);
            assertEquals(containers.toString(), desired, containers.size());
            for (Proc p : procs) {
                assertTrue(containers + " has " + p.id(), containers.contains("stratos-" + p.id()));
            }
            return null;
        });
    }

    private String containerPid(String vmId, String container) throws IOException, InterruptedException {
        Path lxcpath = controller.vmsDirectory().resolve(vmId).resolve("agent-data/containers");
        Process info = new ProcessBuilder("lxc-info", "-P", lxcpath.toString(), "-n", container, "-p", "-H").redirectErrorStream(true).start();
        String out = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        info.waitFor();
        return out;
    }

    @Test
    public void aRestartedAgentReadoptsItsContainersWithoutRestartingThem() throws Exception {
        controller.expect(201, "POST", "/partitions", "{\"name\":\"web\",\"cartridge\":\"static-httpd\",\"minVms\":1,\"maxVms\":1}");
        awaitReadyVms(1);
        String vm = readyVms().get(0);
        controller.expect(201, "POST", "/subscriptions", "{\"alias\":\"hello\",\"cartridge\":\"static-httpd\",\"minProcesses\":2}");
        List<Proc> before = awaitServing("hello", 2);
        List<String> pids = new ArrayList<>();
        for (Proc p : before) {
            pids.add(containerPid(vm, "stratos-" + p.id()));
        }

        // kill -9 of the agent alone; its VM's init (start-agent) brings it back.
        Path vmDir = controller.vmsDirectory().resolve(vm);
        controller.agents().forEach(ProcessHandle::destroyForcibly);
        new ProcessBuilder(vmDir.resolve("start-agent").toString()).start();

        List<Proc> after = awaitServing("hello", 2);
        assertEquals(before.stream().map(Proc::id).sorted().toList(), after.stream().map(Proc::id).sorted().toList());
        for (int i = 0; i < before.size(); i++) {
            assertEquals("container of " + before.get(i).id() + " kept running", pids.get(i), containerPid(vm, "stratos-" + before.get(i).id()));
        }
        assertEquals(2, controller.runningContainers(vm).size());
    }
}
