package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratos.lxc.itests.support.Await;
import io.stratos.lxc.itests.support.ChaosScript;
import io.stratos.lxc.itests.support.ControllerPair;
import io.stratos.lxc.itests.support.ControllerProcess;
import io.stratos.lxc.itests.support.Http;
import io.stratos.lxc.itests.support.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Two built controller distributions on one real PostgreSQL: one active, one standing by. The active one is killed
 * (kill -9) and the standby takes over; then the new active one is paused (SIGSTOP) past its lease, and what it was
 * asked to do while paused is refused when it resumes (fencing). Containers and router traffic carry on throughout.
 */
public class HighAvailabilityE2E {

    private static final String PAGE = "Hello from the static-httpd cartridge";

    private ControllerPair pair;
    private ControllerProcess a;
    private ControllerProcess b;

    @Before
    public void twoControllersOnOneDatabase() throws Exception {
        pair = ControllerPair.create("controller-ha");
        a = pair.a;
        b = pair.b;
    }

    @After
    public void stopBoth() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    public void theStandbyTakesOverFromAKilledControllerAndAPausedOneWritesNothingWhenItResumes() throws Exception {
        a.start();
        b.start();
        JsonNode statusA = Json.tree(a.get("/status"));
        JsonNode statusB = Json.tree(b.get("/status"));
        assertEquals("active", statusA.path("role").textValue());
        assertEquals("standby", statusB.path("role").textValue());
        assertEquals("controller-a", statusB.path("leaseHolder").textValue());
        long firstEpoch = statusA.path("leaseEpoch").longValue();

        a.expect(201, "POST", "/partitions", "{\"name\":\"ha\",\"cartridge\":\"static-httpd\",\"minVms\":1,\"maxVms\":1,"
                + "\"vmCapacity\":{\"cpuMillis\":4000,\"memoryMiB\":2048}}");
        a.expect(201, "POST", "/subscriptions", "{\"alias\":\"ha1\",\"cartridge\":\"static-httpd\",\"minProcesses\":1,\"maxProcesses\":4}");
        String container = awaitRunning(a, 1).get(0);

        // the standby serves reads, marked as such, and refuses writes naming the active controller
        HttpResponse<String> read = Await.success("the standby showing ha1", Duration.ofSeconds(15), () -> {
            HttpResponse<String> r = Http.get(b.api("/subscriptions/ha1"));
            assertEquals(r.body(), 200, r.statusCode());
            return r;
        });
        assertEquals("standby", read.headers().firstValue("X-Stratos-Role").orElse(""));
        assertTrue(read.headers().firstValue("X-Stratos-State-Age").isPresent());
        HttpResponse<String> refused = b.send("PUT", "/subscriptions/ha1/scale", "{\"processes\":2}");
        assertEquals(refused.body(), 503, refused.statusCode());
        assertTrue(refused.body(), Json.tree(refused.body()).path("hint").textValue().contains("127.0.0.1:" + a.httpPort()));

        // the standby's router serves the alias, and keeps serving through the fail-over
        String viaB = "http://127.0.0.1:" + b.routerPort() + "/ha1/";
        Await.success("the standby's router serving ha1", Duration.ofSeconds(20), () -> {
            HttpResponse<String> r = Http.get(viaB);
            assertTrue(r.statusCode() + " " + r.body() + "; the standby's view: " + b.get("/subscriptions/ha1/processes"),
                    r.body().contains(PAGE));
            return null;
        });
        AtomicBoolean traffic = new AtomicBoolean(true);
        AtomicInteger served = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
            while (traffic.get()) {
                try {
                    HttpResponse<String> r = Http.get(viaB);
                    (r.statusCode() == 200 && r.body().contains(PAGE) ? served : failed).incrementAndGet();
                    Thread.sleep(50); // the load's pace
                } catch (Exception e) {
                    failed.incrementAndGet();
                }
            }
        });

        // kill -9 the active controller: the standby serves writes within seconds
        long killed = System.nanoTime();
        a.distribution().kill();
        Await.success("controller b accepting a write", Duration.ofSeconds(30), () -> {
            HttpResponse<String> r = b.send("PUT", "/subscriptions/ha1/scale", "{\"processes\":2}");
            assertEquals(r.body(), 200, r.statusCode());
            return null;
        });
        long failoverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        System.out.println("HighAvailabilityE2E: kill -9 of the active controller to the first accepted write on the standby: "
                + failoverMillis + " ms");
        JsonNode takenOver = Json.tree(b.get("/status"));
        assertEquals("active", takenOver.path("role").textValue());
        assertEquals(firstEpoch + 1, takenOver.path("leaseEpoch").longValue());

        // the agent follows controller b: the second process starts, and the first one was never restarted
        List<String> containers = awaitRunning(b, 2);
        assertTrue(containers + " still holds " + container, containers.contains(container));

        traffic.set(false);
        load.get(10, TimeUnit.SECONDS);
        assertEquals("requests through the standby's router that failed during the fail-over (of " + served.get() + ")",
                0, failed.get());

        // controller a comes back as a standby
        a.distribution().start();
        a.awaitReady();
        assertEquals("standby", ControllerPair.role(a));

        // pause controller b past its lease, with a write waiting for it: controller a takes over
        b.distribution().signal("STOP");
        HttpClient client = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<String>> sentWhilePaused = client.sendAsync(
                Http.asAdmin(HttpRequest.newBuilder(URI.create(b.api("/subscriptions/ha1/scale"))))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"processes\":4}")).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        Await.success("controller a active again", Duration.ofSeconds(30), () -> {
            assertEquals("active", ControllerPair.role(a));
            return null;
        });
        a.expect(200, "PUT", "/subscriptions/ha1/scale", "{\"processes\":1}");
        b.distribution().signal("CONT");

        HttpResponse<String> late = sentWhilePaused.get(60, TimeUnit.SECONDS);
        assertEquals("the write sent to the paused controller is refused when it resumes: " + late.body(), 503, late.statusCode());
        Await.success("controller b standing by", Duration.ofSeconds(15), () -> {
            assertEquals("standby", ControllerPair.role(b));
            return null;
        });
        assertEquals(1, Json.tree(a.get("/subscriptions/ha1")).path("desiredProcesses").intValue());
        String lease = pair.leaseRow();
        assertEquals("the lease row: the last write was made under controller a's new epoch",
                "controller-a " + (firstEpoch + 2) + " " + (firstEpoch + 2), lease);

        // 200 scripted operations against whichever controller is active, which is killed at two random points:
        // every acknowledged operation is there once, and the VM runs exactly one container per process
        a.expect(204, "DELETE", "/subscriptions/ha1", null);
        ControllerProcess[] active = {a};
        long seed = Long.getLong("stratos.chaos.seed", System.nanoTime());
        System.out.printf("[ha-chaos] seed %d%n", seed);
        new ChaosScript(() -> active[0], seed).run("ha-chaos", 200, 2, inFlight -> {
            ControllerProcess victim = active[0];
            ControllerProcess survivor = pair.other(victim);
            long killedAt = System.nanoTime();
            victim.distribution().kill();
            inFlight.handle((r, e) -> null).get(60, TimeUnit.SECONDS);
            Await.success("the standby active", Duration.ofSeconds(30), () -> {
                assertEquals("active", ControllerPair.role(survivor));
                return null;
            });
            System.out.printf("[ha-chaos] fail-over in %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));
            active[0] = survivor;
            victim.distribution().start();
            victim.awaitReady();
        });

        // PostgreSQL restarts under both: they recover with no manual step, one active and one standing by
        pair.restartDatabase();
        Await.success("one controller active and one standing by after the database restart", Duration.ofSeconds(60), () -> {
            assertEquals(List.of("active", "standby"), List.of(ControllerPair.role(active[0]), ControllerPair.role(pair.other(active[0])))
                    .stream().sorted().toList());
            return null;
        });
        ControllerProcess after = "active".equals(ControllerPair.role(a)) ? a : b;
        Await.success("a write accepted after the database restart", Duration.ofSeconds(30), () -> {
            HttpResponse<String> r = after.send("POST", "/subscriptions",
                    "{\"alias\":\"after-restart\",\"cartridge\":\"static-httpd\",\"maxProcesses\":1}");
            assertEquals(r.body(), 201, r.statusCode());
            return null;
        });
    }

    /** The container names of the subscription's processes once exactly {@code count} are RUNNING. */
    private List<String> awaitRunning(ControllerProcess controller, int count) throws Exception {
        return Await.success(count + " RUNNING processes of ha1", Duration.ofSeconds(90), () -> {
            JsonNode processes = Json.tree(controller.get("/subscriptions/ha1/processes"));
            List<String> running = Json.stream(processes).filter(p -> "RUNNING".equals(p.path("state").textValue()))
                    .map(p -> p.path("id").textValue()).toList();
            assertEquals(processes.toString(), count, running.size());
            return running;
        });
    }
}
