package io.stratos.lxc.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.stratos.lxc.itests.support.ControllerProcess;
import io.stratos.lxc.itests.support.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Local VMs from creation to destruction, against the controller distribution with one local slot (maxVms 1), so
 * that a VM left behind shows at once: the next VM cannot start. Also the environment an agent is started with.
 */
public class LocalVmLifecycleE2E {

    private static final Duration BOOT = Duration.ofSeconds(90);
    private ControllerProcess controller;

    @Before
    public void startController() throws Exception {
        controller = ControllerProcess.create("controller-vm-lifecycle");
        controller.distribution()
                .configure("io.stratos.lxc.iaas.local.cfg", "maxVms", "1")
                .configure("io.stratos.lxc.controller.cfg", "lostVmDestroySeconds", "5")
                .configure("io.stratos.lxc.controller.cfg", "unknownVmGraceSeconds", "4");
        controller.start();
    }

    @After
    public void stopController() throws Exception {
        controller.close();
    }

    private List<String> readyVms() throws Exception {
        String vms = controller.get("/vms");
        return Json.count(vms, "state", "READY") == 1 ? Json.strings(vms, "id") : List.of();
    }

    private String awaitOneReadyVm() {
        return await("one READY VM").atMost(BOOT).pollInterval(Duration.ofMillis(250))
                .until(this::readyVms, ids -> ids.size() == 1).get(0);
    }

    private List<String> vmDirectories() throws Exception {
        if (!Files.isDirectory(controller.vmsDirectory())) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(controller.vmsDirectory())) {
            return dirs.map(d -> d.getFileName().toString()).filter(n -> !n.startsWith(".")).toList();
        }
    }

    /** Any, staging ones too: the adapter has begun. */
    private boolean anyVmDirectory() throws Exception {
        if (!Files.isDirectory(controller.vmsDirectory())) {
            return false;
        }
        try (Stream<Path> dirs = Files.list(controller.vmsDirectory())) {
            return dirs.findAny().isPresent();
        }
    }

    private String karafLog() throws Exception {
        return Files.readString(controller.distribution().log(), StandardCharsets.UTF_8);
    }

    private static String proc(long pid, String file) throws Exception {
        return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), file)), StandardCharsets.UTF_8).replace('\0', ' ');
    }

    @Test
    public void anAgentRunsWithTheAgentDistributionsOptionsNotTheControllersEnvironment() throws Exception {
        String home = "-Dkaraf.home=" + controller.distribution().home();
        long controllerPid = ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(home)).orElse(false))
                .findFirst().orElseThrow().pid();
        // what the agents inherited before: the controller distribution's bin/setenv options
        assertTrue(proc(controllerPid, "environ").contains("EXTRA_JAVA_OPTS=-Xms64m -Xmx512m"));

        controller.expect(201, "POST", "/partitions", "{\"name\":\"web\",\"cartridge\":\"static-httpd\",\"minVms\":1,\"maxVms\":1}");
        awaitOneReadyVm();
        List<ProcessHandle> agents = controller.agents();
        assertEquals(1, agents.size());
        String environ = proc(agents.get(0).pid(), "environ");
        String cmdline = proc(agents.get(0).pid(), "cmdline");

        assertFalse(environ, environ.contains("-Xmx512m"));
        assertFalse(environ, environ.contains("KARAF_HOME=" + controller.distribution().home()));
        assertTrue(environ, environ.contains("STRATOS_AGENT_VM_ID="));
        // the agent distribution's bin/setenv: small heap, once
        assertTrue(cmdline, cmdline.contains("-Xms16m -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"));
        assertFalse(cmdline, cmdline.contains("-Xmx512m"));
        assertEquals(cmdline, 1, cmdline.split("-XX:\\+UseSerialGC", -1).length - 1);
    }

    @Test
    public void aPartitionDeletedWhileItsVmIsBeingCreatedLeavesNoAgentAndNoSlotHeld() throws Exception {
        controller.expect(201, "POST", "/partitions", "{\"name\":\"race\",\"cartridge\":\"static-httpd\",\"minVms\":1,\"maxVms\":1}");
        // delete as soon as the adapter has started on the VM (its directory appears before its agent starts)
        await("the adapter creating the VM").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(this::anyVmDirectory);
        controller.expect(204, "DELETE", "/partitions/race", null);

        await("no agent and no VM directory left").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> controller.agents().isEmpty() && vmDirectories().isEmpty());
        // and it stays so: an agent started late would show here
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).until(() -> controller.agents().isEmpty());

        // the one slot is free for the next partition
        controller.expect(201, "POST", "/partitions", "{\"name\":\"web\",\"cartridge\":\"static-httpd\",\"minVms\":1,\"maxVms\":1}");
        awaitOneReadyVm();
    }

    @Test
    public void aVmTheControllerDoesNotKnowIsDestroyedAfterTheGracePeriodFreeingItsSlot() throws Exception {
        // an orphan as a race or crash leaves it: a VM directory holding slot 0, its "agent" alive in its own session
        Path orphan = Files.createDirectories(controller.vmsDirectory().resolve("i-f2c17735/home"));
        Files.writeString(orphan.resolveSibling("vm.properties"), "vmId=i-f2c17735\npartition=i\nslot=0\nsshPort=" + (controller.vmPortRangeStart() + 99) + "\n");
        Process agent = new ProcessBuilder("setsid", "sh", "-c", "sleep 300; : " + orphan).start();
        Files.writeString(orphan.resolveSibling("pid"), String.valueOf(agent.pid()));

        controller.expect(201, "POST", "/partitions", "{\"name\":\"web\",\"cartridge\":\"static-httpd\",\"minVms\":1,\"maxVms\":1}");
        String ready = awaitOneReadyVm();

        assertFalse(agent.isAlive());
        assertEquals(List.of(ready), vmDirectories());
        String log = karafLog();
        assertTrue(log, log.contains("Adapter local has VM i-f2c17735 (pid:" + agent.pid()));
        assertTrue(log, log.contains("that the controller does not know"));
        // while the orphan held the slot, creating the VM failed: logged once, not every pass
        assertTrue(log.split("all 1 local VM slots are in use", -1).length - 1 <= 2);
    }

    @Test
    public void aLostVmIsDestroyedAfterLostVmDestroySecondsAndItsReplacementTakesTheSlot() throws Exception {
        controller.expect(201, "POST", "/partitions", "{\"name\":\"web\",\"cartridge\":\"static-httpd\",\"minVms\":1,\"maxVms\":1}");
        String first = awaitOneReadyVm();

        controller.agents().forEach(ProcessHandle::destroyForcibly);

        // LOST after the 6 s agent grace period, destroyed 5 s later; only then can the replacement have the one slot
        String replacement = await("a replacement VM").atMost(BOOT).pollInterval(Duration.ofMillis(250))
                .until(this::readyVms, ids -> ids.size() == 1 && !ids.contains(first)).get(0);
        String vms = controller.get("/vms");
        assertFalse(vms, vms.contains(first));
        assertEquals(List.of(replacement), vmDirectories());
        String log = karafLog();
        assertTrue(log, log.matches("(?s).*VM " + first + " of partition web destroyed by adapter local \\(pid:\\d+.*\\) and removed: LOST for \\d+ s.*"));
    }
}
