package io.stratos.lxc.itests.support;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A scripted run of subscribe / scale / unsubscribe operations, with what the controller acknowledged kept aside:
 * after a crash at any point, the controller must hold exactly that (an operation in flight at the crash wholly there
 * or wholly absent), and the VMs must run exactly one container per process. The operations go to whichever
 * controller {@code controller} names at the time (the active one, when two share a database).
 */
public final class ChaosScript {

    /** Kills the controller while an operation is in flight, and brings one back; returns when one answers writes. */
    public interface Crash {
        void during(CompletableFuture<HttpResponse<String>> inFlight) throws Exception;
    }

    private static final int MAX_SUBSCRIPTIONS = 4;
    private static final int MAX_PROCESSES = 3;

    private final Supplier<ControllerProcess> controller;
    private final Random random;
    /** What the controller acknowledged: alias to desired processes. */
    private final Map<String, Integer> acknowledged = new TreeMap<>();
    private int next;

    public ChaosScript(Supplier<ControllerProcess> controller, long seed) {
        this.controller = controller;
        this.random = new Random(seed);
    }

    /** Runs {@code operations}, crashing at {@code kills} random ones with {@code crash}; checks after each crash. */
    public void run(String name, int operations, int kills, Crash crash) throws Exception {
        TreeSet<Integer> killAt = new TreeSet<>();
        while (killAt.size() < kills) {
            killAt.add(1 + random.nextInt(operations - 1));
        }
        for (int i = 0; i < operations; i++) {
            String[] op = nextOperation();
            if (op[1].equals("POST")) {
                next++;
            }
            if (killAt.contains(i)) {
                // Sent, then the controller dies at some point of handling it (or just before, or just after).
                CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> send(op));
                Thread.sleep(random.nextInt(15)); // the point: the kill lands at a random moment of the request
                crash.during(inFlight);
                adoptOutcomeOf(op);
                assertMatchesAcknowledged("after kill " + killAt.headSet(i, true).size() + " at operation " + i);
                long millis = awaitReconciled(Duration.ofSeconds(90));
                System.out.printf("[%s] kill at operation %d (%s %s): consistent; processes reconciled %d ms after the "
                        + "controller answered%n", name, i, op[1], op[2], millis);
            } else {
                HttpResponse<String> response = send(op);
                assertTrue(op[1] + " " + op[2] + ": " + response.body(), response.statusCode() / 100 == 2);
                apply(op);
            }
        }
        assertMatchesAcknowledged("at the end");
        awaitReconciled(Duration.ofSeconds(120));
    }

    /** {alias, method, path, body}: subscribe while there are few, else mostly scale, sometimes unsubscribe. */
    private String[] nextOperation() {
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
            return controller.get().send(op[1], op[2], op[3]);
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
        HttpResponse<String> now = controller.get().send("GET", "/subscriptions/" + op[0], null);
        Map<String, Integer> before = new HashMap<>(acknowledged);
        apply(op);
        Map<String, Integer> after = new HashMap<>(acknowledged);
        Integer actual = now.statusCode() == 404 ? null : desired(now.body());
        if (Objects.equals(actual, after.get(op[0]))) {
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

    public void assertMatchesAcknowledged(String when) throws Exception {
        String json = controller.get().get("/subscriptions");
        List<String> aliases = Json.strings(json, "alias");
        assertEquals(when + ": aliases", new ArrayList<>(acknowledged.keySet()), aliases.stream().sorted().toList());
        for (String alias : aliases) {
            assertEquals(when + ": desired processes of " + alias, acknowledged.get(alias).intValue(),
                    desired(controller.get().get("/subscriptions/" + alias)));
        }
    }

    /**
     * Waits until every subscription has its desired processes RUNNING and each VM runs exactly the containers of
     * the processes placed on it; returns how long that took.
     */
    public long awaitReconciled(Duration timeout) throws Exception {
        long started = System.nanoTime();
        Await.success("processes and containers match the subscriptions", timeout, () -> {
            ControllerProcess c = controller.get();
            List<String> vms = Json.strings(c.get("/vms"), "id");
            Map<String, List<String>> expected = new HashMap<>();
            for (Map.Entry<String, Integer> s : acknowledged.entrySet()) {
                String json = c.get("/subscriptions/" + s.getKey() + "/processes");
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
                List<String> running = c.runningContainers(vm).stream().sorted().toList();
                List<String> wanted = expected.getOrDefault(vm, List.of()).stream().sorted().toList();
                assertEquals("containers on " + vm, wanted, running);
            }
            return null;
        });
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }
}
