package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.stratos.lxc.itests.support.Await;
import io.stratos.lxc.itests.support.ControllerProcess;
import io.stratos.lxc.itests.support.Decisions;
import io.stratos.lxc.itests.support.Decisions.Decision;
import io.stratos.lxc.itests.support.Http;
import io.stratos.lxc.itests.support.Json;
import io.stratos.lxc.loadgen.Interval;
import io.stratos.lxc.loadgen.LoadGenerator;
import io.stratos.lxc.loadgen.LoadPlan;
import io.stratos.lxc.loadgen.LoadResult;
import io.stratos.lxc.loadgen.LoadRun;
import io.stratos.lxc.loadgen.Schedule;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The autoscaler under real load, through the router, on real LXC processes of local VMs: a load step
 * (closed-loop clients on a CGI that holds each request 200 ms) raises the requests in flight per
 * process, so the subscription scales out; the processes that do not fit on the first VM bring a
 * second VM. When the load drops to one client, it scales back in to one process and one VM, and not
 * one request fails meanwhile: a process leaving is taken out of the router and drained before it
 * is stopped. (Before that drain, requests in flight to a stopped process failed with 502.)
 */
public class AutoscalerLoadE2E {

    private static final String ALIAS = "busy";

    private ControllerProcess controller;
    private LoadRun load;

    @Before
    public void startController() throws Exception {
        controller = ControllerProcess.create("controller-autoscale-load");
        // Short windows keep the test short: the decisions are the same as with production windows.
        controller.distribution()
                .configure("io.stratos.lxc.autoscaler.cfg", "metricWindowSeconds", "3")
                .configure("io.stratos.lxc.autoscaler.cfg", "vmScaleInWindowSeconds", "4");
        controller.start();
        controller.awaitCartridge("static-httpd");
    }

    @After
    public void stopController() throws Exception {
        if (load != null) {
            load.close();
        }
        controller.close();
    }

    private int running() throws Exception {
        return (int) Json.count(controller.get("/subscriptions/" + ALIAS + "/processes"), "state", "RUNNING");
    }

    private int readyVms() throws Exception {
        return (int) Json.count(controller.get("/vms"), "state", "READY");
    }

    private List<Decision> decisions(String level, String target) throws Exception {
        return Decisions.of(controller, 200).stream().filter(d -> d.is(level, target)).toList();
    }

    @Test
    public void aLoadStepScalesOutToMoreProcessesAndVmsAndBackInWithoutAFailedRequest() throws Exception {
        long started = System.nanoTime();
        // Each VM holds 4 processes of static-httpd (100m, 16 MiB).
        controller.expect(201, "POST", "/autoscale-policies", "{\"name\":\"inflight\",\"metrics\":{\"requestsInFlight\":{\"target\":2}},"
                + "\"minProcesses\":1,\"maxProcesses\":6,\"scaleUpCooldownSeconds\":2,\"scaleDownStabilizationSeconds\":6,"
                + "\"scaleUpStep\":4,\"scaleDownStep\":10}");
        controller.expect(201, "POST", "/partitions", "{\"name\":\"web\",\"cartridge\":\"static-httpd\",\"minVms\":1,\"maxVms\":2,"
                + "\"vmCapacity\":{\"cpuMillis\":400,\"memoryMiB\":64}}");
        controller.expect(201, "POST", "/subscriptions", "{\"alias\":\"" + ALIAS + "\",\"cartridge\":\"static-httpd\","
                + "\"policy\":\"inflight\",\"minProcesses\":1,\"maxProcesses\":6}");
        String work = "http://127.0.0.1:" + controller.routerPort() + "/" + ALIAS + "/cgi-bin/work?ms=200";
        String answer = Http.awaitOk(work, Duration.ofSeconds(60));
        assertTrue(answer, answer.contains("worked 200 ms"));
        assertEquals(1, running());

        // The step: 12 clients, each with one request in flight (200 ms) at a time. POST, because the router
        // repeats a GET that broke off on another process, which would hide a request lost by a stop.
        load = LoadGenerator.start(LoadPlan.of(URI.create(work), LoadPlan.Mode.CLOSED, Schedule.constant(12, Duration.ofMinutes(3)))
                .withMethod("POST"));

        // Level 1 out on requests in flight, then level 2 out for the processes the first VM has no room for.
        Await.success("scale-out to 6 processes on 2 VMs", Duration.ofSeconds(60), () -> {
            assertTrue(decisions("SUBSCRIPTION", ALIAS).stream().anyMatch(d -> d.up() && d.reason().contains("requestsInFlight")));
            assertTrue(decisions("PARTITION", "web").stream().anyMatch(d -> d.from() == 1 && d.to() == 2));
            assertEquals(6, running());
            assertEquals(2, readyVms());
            return null;
        });

        // The load drops to one client: back to 1 process (in steps held by the stabilisation window), then the
        // under-used VM is drained and destroyed.
        load.level(1);
        long scaleInFrom = System.currentTimeMillis();
        LoadResult result;
        try {
            Await.success("scale-in to 1 process on 1 VM", Duration.ofSeconds(60), () -> {
                assertTrue(decisions("SUBSCRIPTION", ALIAS).stream().anyMatch(d -> d.from() > 1 && d.to() == 1));
                assertTrue(decisions("PARTITION", "web").stream().anyMatch(d -> d.from() == 2 && d.to() == 1));
                assertEquals(List.of("READY"), Json.strings(controller.get("/vms"), "state"));
                assertEquals(1, Json.strings(controller.get("/subscriptions/" + ALIAS + "/processes"), "state").size());
                assertEquals(1, running());
                return null;
            });
            Thread.sleep(2000); // the last process keeps serving alone
        } finally {
            load.stop();
            result = load.await();
            Path record = Path.of(System.getProperty("stratos.work.dir", "target"), "autoscaler-load-e2e.csv");
            Files.createDirectories(record.getParent());
            result.writeCsv(record);
            System.out.println("AutoscalerLoadE2E load record in " + record + ": " + result.summary());
        }

        List<Interval> scaleIn = result.between(scaleInFrom - 1000, Long.MAX_VALUE);
        long servedDuringScaleIn = scaleIn.stream().mapToLong(Interval::ok).sum();
        assertTrue("requests were served during scale-in: " + result.summary(), servedDuringScaleIn > 20);
        assertEquals("failed requests during scale-in: " + LoadResult.failures(scaleIn), 0,
                scaleIn.stream().mapToLong(Interval::failed).sum());
        assertEquals("failed requests over the whole run: " + result.summary(), 0, result.failed());
        System.out.printf("AutoscalerLoadE2E: %s; %d s%n", result.summary(), (System.nanoTime() - started) / 1_000_000_000L);
    }
}
