package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratos.lxc.itests.support.Await;
import io.stratos.lxc.itests.support.ControllerProcess;
import io.stratos.lxc.itests.support.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Crash safety: a scripted run of subscribe / scale / unsubscribe operations during which the controller is
 * killed with SIGKILL at random points, some in the middle of an operation. After every restart, and at the
 * end, the controller holds exactly the subscriptions and scales it acknowledged (an operation in flight at
 * the kill is either wholly there or wholly absent), and the VMs run exactly one container per process:
 * nothing lost, nothing duplicated. The seed is printed; {@code -Dstratos.chaos.seed} replays a run and
 * {@code -Dstratos.chaos.operations} makes it longer.
 */
public class ChaosE2E {

    private static final int MAX_SUBSCRIPTIONS = 4;
    private static final int MAX_PROCESSES = 3;

    private ControllerProcess controller;
    private final List<Long> reconcileMillis = new ArrayList<>();

    @Before
    public void startController() throws Exception {
        controller = ControllerProcess.create("controller-chaos").start();
        controller.awaitCartridge("static-httpd");
    }

    @After
    public void stopController() throws Exception {
        controller.close();
    }

    /** What the controller acknowledged: alias to desired processes. */
    private final Map<String, Integer> acknowledged = new TreeMap<>();

    @Test
    public void killedAtRandomPointsTheControllerLosesAndDuplicatesNothing() throws Exception {
        long seed = Long.getLong("stratos.chaos.seed", System.nanoTime());
        int operations = Integer.getInteger("stratos.chaos.operations", 100);
        int kills = Integer.getInteger("stratos.chaos.kills", 5);
        System.out.printf("[chaos] seed %d, %d operations, %d kills%n", seed, operations, kills);
        Random random = new Random(seed);
        TreeSet<Integer> killAt = new TreeSet<>();
        while (killAt.size() < kills) {
            killAt.add(1 + random.nextInt(operations - 1));
        }

        controller.expect(201, "POST", "/partitions", "{\"name\":\"web\",\"cartridge\":\"static-httpd\",\"minVms\":2,\"maxVms\":2,"
                + "\"vmCapacity\":{\"cpuMillis\":4000,\"memoryMiB\":2048}}");
        int next = 0;
        for (int i = 0; i < operations; i++) {
            String[] op = nextOperation(random, next);
            if (op[1].equals("POST")) {
                next++;
            }
            if (killAt.contains(i)) {
                // Sent, then the controller dies at some point of handling it (or just before, or just after).
                CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> send(op));
                Thread.sleep(random.nextInt(15));
                controller.distribution().kill();
                inFlight.handle((r, e) -> null).get(60, TimeUnit.SECONDS);
                long restarted = System.nanoTime();
                controller.start();
                adoptOutcomeOf(op);
                assertMatchesAcknowledged("after kill " + (killAt.headSet(i, true).size()) + " at operation " + i);
                long millis = awaitReconciled(Duration.ofSeconds(90));
                reconcileMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted));
                System.out.printf("[chaos] kill at operation %d (%s %s): consistent; processes reconciled %d ms after ready, "
                        + "%d ms after restart%n", i, op[1], op[2], millis, reconcileMillis.get(reconcileMillis.size() - 1));
            } else {
                HttpResponse<String> response = send(op);
                assertTrue(op[1] + " " + op[2] + ": " + response.body(), response.statusCode() / 100 == 2);
                apply(op);
            }
        }
        assertMatchesAcknowledged("at the end");
        awaitReconciled(Duration.ofSeconds(120));
        System.out.printf("[chaos] %d operations, %d kills, all consistent; restart to reconciled (ms): %s%n", operations, kills,
                reconcileMillis);
    }

    /** {alias, method, path, body}: subscribe while there are few, else mostly scale, sometimes unsubscribe. */
    private String[] nextOperation(Random random, int next) {
        List<String> aliases = new ArrayList<>(acknowledged.keySet());
        int roll = random.nextInt(10);
        if (aliases.isEmpty() || (aliases.size() < MAX_SUBSCRIPTIONS && roll < 3)) {
            String alias = "chaos-" + next;
            return new String[] {alias, "POST", "/subscriptions",
                    "{\"alias\":\"" + alias + "\",\"cartridge\":\"static-httpd\",\"maxProcesses\":" + MAX_PROCESSES + "}"};
        }
        String alias = aliases.get(random.nextInt(aliases.size()));
        if (roll < 8) {
            return new String[] {alias, "PUT", "/subscriptions/" + alias + "/scale",
                    "{\"processes\":" + (1 + random.nextInt(MAX_PROCESSES)) + "}"};
        }
        return new String[] {alias, "DELETE", "/subscriptions/" + alias, null};
    }

    private HttpResponse<String> send(String[] op) {
        try {
            return controller.send(op[1], op[2], op[3]);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void apply(String[] op) {
        switch (op[1]) {
            case "POST" -> acknowledged.put(op[0], 1);
            case "PUT" -> acknowledged.put(op[0], Integer.parseInt(op[3].replaceAll("\\D", "")));
            default -> acknowledged.remove(op[0]);
        }
    }

    /** The operation in flight at the kill: it happened wholly or not at all; take whichever the controller shows. */
    private void adoptOutcomeOf(String[] op) throws Exception {
        HttpResponse<String> now = controller.send("GET", "/subscriptions/" + op[0], null);
        Map<String, Integer> before = new HashMap<>(acknowledged);
        apply(op);
        Map<String, Integer> after = new HashMap<>(acknowledged);
        Integer actual = now.statusCode() == 404 ? null : desired(now.body());
        if (java.util.Objects.equals(actual, after.get(op[0]))) {
            System.out.printf("[chaos]   the operation in flight (%s %s) was committed%n", op[1], op[2]);
        } else {
            assertEquals("the operation in flight (" + op[1] + " " + op[2] + ") is wholly absent", before.get(op[0]), actual);
            acknowledged.clear();
            acknowledged.putAll(before);
            System.out.printf("[chaos]   the operation in flight (%s %s) was not committed%n", op[1], op[2]);
        }
    }

    private static int desired(String subscription) {
        JsonNode desired = Json.tree(subscription).path("desiredProcesses");
        if (!desired.isInt()) {
            throw new AssertionError("no desiredProcesses in " + subscription);
        }
        return desired.intValue();
    }

    private void assertMatchesAcknowledged(String when) throws Exception {
        String json = controller.get("/subscriptions");
        List<String> aliases = Json.strings(json, "alias");
        assertEquals(when + ": aliases", new ArrayList<>(acknowledged.keySet()), aliases.stream().sorted().toList());
        for (String alias : aliases) {
            assertEquals(when + ": desired processes of " + alias, acknowledged.get(alias).intValue(),
                    desired(controller.get("/subscriptions/" + alias)));
        }
    }

    /**
     * Waits until every subscription has its desired processes RUNNING and each VM runs exactly the containers of
     * the processes placed on it; returns how long that took.
     */
    private long awaitReconciled(Duration timeout) throws Exception {
        long started = System.nanoTime();
        Await.success("processes and containers match the subscriptions", timeout, () -> {
            List<String> vms = Json.strings(controller.get("/vms"), "id");
            Map<String, List<String>> expected = new HashMap<>();
            for (Map.Entry<String, Integer> s : acknowledged.entrySet()) {
                String json = controller.get("/subscriptions/" + s.getKey() + "/processes");
                List<String> ids = Json.strings(json, "id");
                List<String> states = Json.strings(json, "state");
                List<String> placed = Json.strings(json, "vmId");
                assertEquals(s.getKey() + ": " + json, s.getValue().intValue(), ids.size());
                for (int i = 0; i < ids.size(); i++) {
                    assertEquals(ids.get(i) + " RUNNING", "RUNNING", states.get(i));
                    expected.computeIfAbsent(placed.get(i), v -> new ArrayList<>()).add("stratos-" + ids.get(i));
                }
            }
            for (String vm : vms) {
                List<String> running = controller.runningContainers(vm).stream().sorted().toList();
                List<String> wanted = expected.getOrDefault(vm, List.of()).stream().sorted().toList();
                assertEquals("containers on " + vm, wanted, running);
            }
            return null;
        });
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }
}
