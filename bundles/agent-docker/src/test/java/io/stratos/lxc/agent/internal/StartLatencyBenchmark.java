package io.stratos.lxc.agent.internal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;
import io.stratos.lxc.testsupport.StartTimings;

import io.stratos.lxc.agent.exec.Exec;
import io.stratos.lxc.agent.internal.lxc.LxcRuntime;
import io.stratos.lxc.agent.docker.DockerRuntime;
import io.stratos.lxc.config.ConfigValues;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (run by benchmarks/run.sh with -Dstratos.benchmark.out=<file>): time from
 * "start this process" to its first HTTP 200 with a warm image, through the agent's launcher (LXC over
 * the agent's bridge and port proxy; Docker through docker-java) and, in the same run, with the raw
 * tools on the same rootfs (lxc-start of an overlay container on the host network; docker run of the
 * imported image). Prints medians and p90, and the ratio agent/raw.
 */
class StartLatencyBenchmark {

    private static final int RUNS = Integer.getInteger("stratos.benchmark.runs", 15);

    @Test
    void startToFirstHttp200() throws Exception {
        String out = System.getProperty("stratos.benchmark.out");
        assumeTrue(out != null, "a benchmark: run it with -Dstratos.benchmark.out=<file> (benchmarks/run.sh)");
        Path work = Files.createTempDirectory("stratos-bench-start");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        Exec exec = new Exec();
        try (TestImages.Store store = new TestImages.Store()) {
            // The real static-httpd cartridge (cartridges/static-httpd/build.sh): its start script honours PORT.
            Path tarball = Path.of(System.getProperty("stratos.benchmark.image"));
            String digest = TestImages.sha256(tarball);
            store.images.put(digest, tarball);
            ConfigValues values = ConfigValues.of(AgentSettings.PID, Map.of("controllerUrl", store.controllerUrl(),
                    "portRangeStart", "29500", "portRangeEnd", "29599", "bridge", "stratos-benchbr", "bridgeSubnet", "10.213.208.0/20",
                    "dataDir", work.resolve("agent").toString()));
            AgentRuntimes agent = new AgentRuntimes(AgentSettings.from(values, "stratos-bench", work.toString()));
            agent.add(DockerRuntime.on(agent));
            try {
                // warm the image cache, the bridge and the docker import
                for (String runtime : List.of("lxc", "docker")) {
                    ProcessLauncher.Outcome warm = agent.launcher().launch(request("stratos-bench-warm-" + runtime, runtime, digest));
                    firstOk(warm.hostPort());
                    agent.launcher().stop(warm.processId());
                }
                Path rootfs = agent.images().lookup(digest).orElseThrow().rootfs();
                List<Double> agentLxc = new ArrayList<>();
                List<Double> rawLxc = new ArrayList<>();
                List<Double> agentDocker = new ArrayList<>();
                List<Double> rawDocker = new ArrayList<>();
                String image = dockerImage(exec, agent, digest);
                for (int i = 0; i < RUNS; i++) {
                    agentLxc.add(viaAgent(agent, "stratos-bench-l" + i, "lxc", digest));
                    rawLxc.add(rawLxcStart(exec, work, rootfs, i));
                    agentDocker.add(viaAgent(agent, "stratos-bench-d" + i, "docker", digest));
                    rawDocker.add(rawDockerRun(exec, image, i));
                }
                String json = "{\n"
                        + "  \"runs\": " + RUNS + ",\n"
                        + "  \"lxc\": {\"agentMedianMs\": " + median(agentLxc) + ", \"agentP90Ms\": " + p90(agentLxc)
                        + ", \"rawMedianMs\": " + median(rawLxc) + ", \"rawP90Ms\": " + p90(rawLxc)
                        + ", \"ratio\": " + round(median(agentLxc) / median(rawLxc)) + "},\n"
                        + "  \"docker\": {\"agentMedianMs\": " + median(agentDocker) + ", \"agentP90Ms\": " + p90(agentDocker)
                        + ", \"rawMedianMs\": " + median(rawDocker) + ", \"rawP90Ms\": " + p90(rawDocker)
                        + ", \"ratio\": " + round(median(agentDocker) / median(rawDocker)) + "}\n}\n";
                Files.writeString(Path.of(out), json);
                System.out.println(json);
            } finally {
                ((LxcRuntime) agent.runtimes().get("lxc")).removeBridgeIfUnused();
                ((DockerRuntime) agent.runtimes().get("docker")).removeImages(digest);
                agent.runtimes().get("docker").close();
                agent.close();
            }
        } finally {
            exec.run(60_000, "rm", "-rf", work.toString());
        }
    }

    private static ProcessLauncher.Request request(String id, String runtime, String digest) {
        return new ProcessLauncher.Request(id, runtime, digest, Map.of(), 0, 0, 64);
    }

    private static double viaAgent(AgentRuntimes agent, String id, String runtime, String digest) throws Exception {
        long t0 = System.nanoTime();
        ProcessLauncher.Outcome outcome = agent.launcher().launch(request(id, runtime, digest));
        if (!outcome.running()) {
            throw new IllegalStateException(outcome.reason());
        }
        firstOk(outcome.hostPort());
        double ms = (System.nanoTime() - t0) / 1e6;
        agent.launcher().stop(id);
        return ms;
    }

    /** The same rootfs under a hand-written overlay container on the host network: the raw lxc-start baseline. */
    private static double rawLxcStart(Exec exec, Path work, Path rootfs, int i) throws Exception {
        Path lxcpath = work.resolve("raw");
        String name = "stratos-bench-raw" + i;
        Path dir = Files.createDirectories(lxcpath.resolve(name));
        int port = 29600 + i;
        Files.writeString(dir.resolve("config"), String.join("\n",
                "lxc.uts.name = " + name,
                "lxc.rootfs.path = overlay:" + rootfs + ":" + dir.resolve("upper"),
                "lxc.apparmor.profile = unconfined",
                "lxc.mount.auto = proc:mixed sys:ro cgroup:mixed",
                "lxc.autodev = 1",
                "lxc.net.0.type = none",
                "lxc.signal.halt = SIGKILL",
                "lxc.environment = PORT=" + port,
                "lxc.environment = BIND_ADDRESS=127.0.0.1",
                "lxc.init.cmd = /bin/start-httpd", ""));
        long t0 = System.nanoTime();
        Exec.Result started = exec.run(30_000, "lxc-start", "-P", lxcpath.toString(), "-n", name, "-d");
        if (started.exitCode() != 0) {
            throw new IllegalStateException("lxc-start: " + started.output());
        }
        firstOk(port);
        double ms = (System.nanoTime() - t0) / 1e6;
        exec.run(30_000, "lxc-stop", "-P", lxcpath.toString(), "-n", name, "-k");
        exec.run(30_000, "lxc-destroy", "-P", lxcpath.toString(), "-n", name, "-f");
        return ms;
    }

    private static String dockerImage(Exec exec, AgentRuntimes agent, String digest) {
        Exec.Result images = exec.run(30_000, "/usr/bin/docker", "images", "--format", "{{.Repository}}:{{.Tag}}");
        return images.output().lines().filter(l -> l.startsWith("stratos/")
                && l.endsWith(":" + digest.substring("sha256:".length(), "sha256:".length() + 12))).findFirst()
                .orElseThrow(() -> new IllegalStateException("no imported image for " + digest + " in " + images.output()));
    }

    private static double rawDockerRun(Exec exec, String image, int i) throws Exception {
        int port = 29700 + i;
        String name = "stratos-bench-rawd" + i;
        long t0 = System.nanoTime();
        Exec.Result run = exec.run(60_000, "/usr/bin/docker", "run", "-d", "--init", "--name", name, "-e", "PORT=8080",
                "-e", "BIND_ADDRESS=0.0.0.0", "-p", "127.0.0.1:" + port + ":8080", image, "/bin/start-httpd");
        if (run.exitCode() != 0) {
            throw new IllegalStateException("docker run: " + run.output());
        }
        firstOk(port);
        double ms = (System.nanoTime() - t0) / 1e6;
        exec.run(60_000, "/usr/bin/docker", "rm", "-f", name);
        return ms;
    }

    private static void firstOk(int port) throws Exception {
        StartTimings.firstOk(URI.create("http://127.0.0.1:" + port + "/"), Duration.ofSeconds(20));
    }

    private static double median(List<Double> values) {
        return StartTimings.median(values);
    }

    private static double p90(List<Double> values) {
        return StartTimings.p90(values);
    }

    private static double round(double value) {
        return StartTimings.round(value);
    }
}
