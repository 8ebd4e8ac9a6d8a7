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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Cartridge processes run as Docker containers by a local VM's agent ride out a restart of dockerd: while dockerd is
 * down the agent stays up, says why its processes are not running and neither spins nor leaks threads; once dockerd is
 * back the same processes (same ids, no new process, no duplicate container) run and serve again, and the controller
 * shows them RUNNING.
 *
 * <p>dockerd is the host's, shared with every Docker test on this machine: it is stopped only inside this test, for a
 * few seconds, and always started again (in a {@code finally}) the way it was started.
 */
public class DockerdRestartE2E {

    private static final String PAGE = "Hello from the static-httpd cartridge";
    private static final String DOCKER = Files.isExecutable(Path.of("/usr/bin/docker")) ? "/usr/bin/docker" : "docker";
    /** How long dockerd stays down: long enough for a few reconciliation passes and status reports. */
    private static final Duration DOWNTIME = Duration.ofSeconds(12);

    private ControllerProcess controller;

    @Before
    public void startController() throws Exception {
        // Agents of this controller's VMs offer only Docker, so every process runs under dockerd.
        controller = ControllerProcess.create("controller-dockerd", Map.of("STRATOS_AGENT_RUNTIMES", "docker")).start();
        controller.awaitCartridge("static-httpd");
    }

    @After
    public void stopController() throws Exception {
        controller.close();
    }

    record Proc(String id, String vm, String runtime, String state, int port, String reason) {
    }

    @SuppressWarnings("unchecked")
    private List<Proc> processes(String alias) throws Exception {
        List<Proc> procs = new ArrayList<>();
        for (Object o : (List<Object>) Json.parse(controller.get("/subscriptions/" + alias + "/processes"))) {
            Map<String, Object> p = (Map<String, Object>) o;
            procs.add(new Proc((String) p.get("id"), (String) p.get("vmId"), (String) p.get("runtime"), (String) p.get("state"),
                    ((Number) p.get("hostPort")).intValue(), String.valueOf(p.get("reason"))));
        }
        return procs;
    }

    private List<Proc> awaitServing(String alias, int count, Duration timeout) throws Exception {
        return Await.success(count + " serving processes of " + alias, timeout, () -> {
            List<Proc> procs = processes(alias);
            assertEquals(procs.toString(), count, procs.size());
            for (Proc p : procs) {
                assertEquals(p.toString(), "RUNNING", p.state());
                assertEquals(p.toString(), "docker", p.runtime());
                assertTrue(p + " serves the page", Http.get("http://127.0.0.1:" + p.port() + "/").body().contains(PAGE));
            }
            return procs;
        });
    }

    @Test
    public void processesRideOutADockerdRestartAndTheAgentRidesOutItsAbsence() throws Exception {
        controller.expect(201, "POST", "/partitions", "{\"name\":\"dock\",\"cartridge\":\"static-httpd\",\"minVms\":1,\"maxVms\":1}");
        controller.expect(201, "POST", "/subscriptions", "{\"alias\":\"whale\",\"cartridge\":\"static-httpd\",\"minProcesses\":2,\"maxProcesses\":4}");
        List<Proc> before = awaitServing("whale", 2, Duration.ofSeconds(120));
        String vm = before.get(0).vm();
        List<String> ids = before.stream().map(Proc::id).sorted().toList();
        Map<String, String> containersBefore = containers(vm);
        assertEquals(containersBefore.toString(), 2, containersBefore.size());
        assertTrue(containersBefore.values().stream().allMatch(s -> s.startsWith("Up")));

        ProcessHandle agent = agentOf(vm);
        int threadsBefore = threads(agent);
        int threadsDown;
        Dockerd dockerd = Dockerd.running();
        long downAt = System.nanoTime();
        try {
            dockerd.stop();
            // The agent notices: the controller hears from it that its processes wait for dockerd.
            List<Proc> waiting = Await.success("the agent to report its processes waiting for dockerd", DOWNTIME, () -> {
                List<Proc> procs = processes("whale");
                assertEquals(ids, procs.stream().map(Proc::id).sorted().toList());
                for (Proc p : procs) {
                    assertTrue(p.toString(), !p.state().equals("RUNNING") && p.reason().contains("dockerd"));
                }
                return procs;
            });
            System.out.println("DOCKERD DOWN, controller shows " + waiting);
            int threadsEarly = threads(agent);
            long left = DOWNTIME.toMillis() - (System.nanoTime() - downAt) / 1_000_000;
            Thread.sleep(Math.max(0, left)); // the point: dockerd stays down for the whole DOWNTIME
            assertTrue("the agent process is alive while dockerd is down", agent.isAlive());
            List<Proc> still = processes("whale");
            System.out.println("DOCKERD DOWN " + DOWNTIME.toSeconds() + " s, controller shows " + still);
            for (Proc p : still) {
                // a clear state, not a restart counter running up a back-off while there is nothing to restart on
                assertTrue(p.toString(), p.reason().contains("dockerd") && !p.reason().matches(".*(restart \\d+|retry in).*"));
            }
            threadsDown = threads(agent);
            System.out.println("AGENT THREADS: before " + threadsBefore + ", early in the downtime " + threadsEarly
                    + ", end of the downtime " + threadsDown);
            assertTrue("no thread leak while dockerd is down: " + threadsEarly + " -> " + threadsDown, threadsDown <= threadsEarly + 3);
        } finally {
            dockerd.start();
        }
        long back = System.nanoTime();
        List<Proc> after = awaitServing("whale", 2, Duration.ofSeconds(60));
        System.out.printf("PROCESSES RUNNING AGAIN %.1f s after dockerd answered (down %.1f s): %s%n",
                (System.nanoTime() - back) / 1e9, (back - downAt) / 1e9, after);
        assertEquals("the same processes, none lost, none added", ids, after.stream().map(Proc::id).sorted().toList());
        assertEquals(vm, after.get(0).vm());
        Map<String, String> containersAfter = containers(vm);
        assertEquals("one container per process, no duplicate: " + containersAfter, 2, containersAfter.size());
        assertTrue(containersAfter.toString(), containersAfter.values().stream().allMatch(s -> s.startsWith("Up")));
        for (String id : ids) {
            assertTrue(containersAfter + " has " + id, containersAfter.keySet().stream().anyMatch(name -> name.contains(id)));
        }
        assertTrue("the same agent process", agent.isAlive());
        int threadsAfter = threads(agent);
        System.out.println("AGENT THREADS after recovery: " + threadsAfter);
        assertTrue("no thread leak: " + threadsBefore + " -> " + threadsAfter, threadsAfter <= threadsBefore + 5);
        // Noticed and told once, no stack trace, no error (which a crash loop would leave behind).
        String log = Files.readString(controller.vmsDirectory().resolve(vm).resolve("home/data/log/karaf.log"));
        assertTrue("the agent logged that dockerd went away", log.contains("Runtime docker became unavailable"));
        assertTrue("the agent logged that dockerd is back", log.contains("Runtime docker is available again"));
        List<String> errors = log.lines().filter(l -> l.contains("| ERROR |") || l.startsWith("\tat ") || l.startsWith("Caused by"))
                .toList();
        assertEquals("the agent's log has no error: " + errors, List.of(), errors);
        // And it goes on working with dockerd: a scale out starts a third container.
        controller.expect(200, "PUT", "/subscriptions/whale/scale", "{\"processes\":3}");
        awaitServing("whale", 3, Duration.ofSeconds(60));
        assertEquals(3, containers(vm).size());
    }

    private ProcessHandle agentOf(String vm) {
        Path dir = controller.vmsDirectory().resolve(vm);
        return controller.agents().stream()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(dir.toString())).orElse(false))
                .findFirst().orElseThrow(() -> new AssertionError("no agent process for " + vm));
    }

    private static int threads(ProcessHandle process) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.substring("Threads:".length()).trim());
            }
        }
        throw new AssertionError("no thread count for " + process.pid());
    }

    /** The VM's containers (running or not, by the agent's owner label): name to status. */
    private static Map<String, String> containers(String vm) throws Exception {
        String out = run(30, DOCKER, "ps", "-a", "--filter", "label=io.stratos.lxc.owner=" + vm, "--format", "{{.Names}}\t{{.Status}}");
        Map<String, String> byName = new TreeMap<>();
        out.lines().filter(l -> !l.isBlank()).forEach(l -> {
            String[] parts = l.split("\t", 2);
            byName.put(parts[0], parts.length > 1 ? parts[1] : "");
        });
        return byName;
    }

    private static String run(int seconds, String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + text);
        }
        return text;
    }

    /**
     * The host's dockerd, stopped and started again the way it was started: by systemd where systemd runs it,
     * otherwise (CI, {@code scripts/host-setup.sh}) as the same command line, detached, appending to the same log.
     */
    static final class Dockerd {
        private final boolean systemd;
        private final List<String> commandLine;
        private final Path log;
        private final long pid;

        private Dockerd(boolean systemd, List<String> commandLine, Path log, long pid) {
            this.systemd = systemd;
            this.commandLine = commandLine;
            this.log = log;
            this.pid = pid;
        }

        static Dockerd running() throws Exception {
            run(30, DOCKER, "version");
            if (isSystemdUnitActive()) {
                return new Dockerd(true, List.of(), null, 0);
            }
            long pid = Long.parseLong(Files.readString(Path.of("/var/run/docker.pid")).trim());
            byte[] raw = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
            List<String> argv = Arrays.stream(new String(raw, StandardCharsets.UTF_8).split("\0")).filter(s -> !s.isEmpty()).toList();
            assertTrue("dockerd's command line: " + argv, !argv.isEmpty() && argv.get(0).endsWith("dockerd"));
            Path out = Path.of("/proc/" + pid + "/fd/1");
            Path log = Path.of("/var/log/stratos/dockerd.log");
            try {
                Path target = Files.readSymbolicLink(out);
                if (target.isAbsolute() && Files.isRegularFile(target)) {
                    log = target;
                }
            } catch (IOException e) {
                // keep the default
            }
            return new Dockerd(false, argv, log, pid);
        }

        private static boolean isSystemdUnitActive() {
            try {
                if (!Files.readString(Path.of("/proc/1/comm")).trim().equals("systemd")) {
                    return false;
                }
                Process p = new ProcessBuilder("systemctl", "is-active", "--quiet", "docker").start();
                return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (Exception e) {
                return false;
            }
        }

        void stop() throws Exception {
            System.out.println("STOPPING dockerd " + (systemd ? "(systemd)" : pid + " " + commandLine));
            if (systemd) {
                run(60, "systemctl", "stop", "docker.socket", "docker");
                return;
            }
            ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
            handle.destroy(); // SIGTERM: dockerd stops its containers and exits
            handle.onExit().get(60, TimeUnit.SECONDS);
        }

        /** Starts it unless it answers already; waits until it does. */
        void start() throws Exception {
            if (answers()) {
                return;
            }
            System.out.println("STARTING dockerd " + (systemd ? "(systemd)" : String.join(" ", commandLine)));
            if (systemd) {
                run(60, "systemctl", "start", "docker");
            } else {
                Files.deleteIfExists(Path.of("/var/run/docker.pid"));
                List<String> command = new ArrayList<>();
                command.add("setsid");
                command.addAll(commandLine);
                new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            }
            Await.success("dockerd to answer after its start (see " + log + ")", Duration.ofSeconds(60), () -> {
                assertTrue("docker version failed", answers());
                return null;
            });
        }

        private static boolean answers() {
            try {
                Process p = new ProcessBuilder(DOCKER, "version").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (Exception e) {
                return false;
            }
        }
    }
}
