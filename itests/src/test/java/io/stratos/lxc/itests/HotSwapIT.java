package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.stratos.lxc.itests.support.Http;
import io.stratos.lxc.itests.support.Json;
import io.stratos.lxc.itests.support.StratosKarafTestSupport;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.inject.Inject;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;

/** Bundles of the suite can be stopped, updated and restarted at run time while the others keep serving. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotSwapIT extends StratosKarafTestSupport {

    @Inject
    MBeanServer mbeanServer;

    @Test
    public void stoppingTheRestBundleLeavesShellAndJmxServingAndRestartingItBringsRestBack() throws Exception {
        Http.awaitOk(api("/status"), Duration.ofSeconds(30));
        awaitCommand("stratos:status", out -> out.contains("rest"), Duration.ofSeconds(20));
        Bundle rest = bundle("stratos-rest");

        rest.stop();
        try {
            // no resource and no gate: the Jetty fragment answers what CXF would answer with HTML, a JSON 503
            await("REST to go away", () -> Http.status(api("/status")) == 503, Duration.ofSeconds(10));
            String output = executeCommand("stratos:status");
            assertTrue(output, output.matches("(?s).*controller\\s*\\|\\s*ACTIVE.*"));
            assertTrue("the rest component is no longer listed: " + output, !output.contains("rest "));
            assertEquals("ACTIVE", mbeanServer.getAttribute(new ObjectName("io.stratos.lxc:type=Controller"), "State"));
        } finally {
            rest.start();
        }
        String body = Http.awaitOk(api("/status"), Duration.ofSeconds(10));
        assertEquals(body, "ACTIVE", Json.componentState(body, "controller"));
    }

    /**
     * REST is asked while the shell bundle is down in the middle of its update: from a synchronous bundle listener,
     * which the framework calls on the updating thread at each step (stopped, unresolved, updated, resolved), so
     * every answer was given while the update was under way, however fast it is.
     */
    @Test
    public void updatingTheShellBundleDoesNotInterruptRest() throws Exception {
        Http.awaitOk(api("/status"), Duration.ofSeconds(30));
        Bundle shell = bundle("stratos-shell");
        long before = shell.getLastModified();
        Map<String, Integer> answers = new ConcurrentHashMap<>();
        SynchronousBundleListener during = event -> {
            if (event.getBundle().getBundleId() == shell.getBundleId() && STEPS.containsKey(event.getType())) {
                answers.put(STEPS.get(event.getType()), Http.status(api("/status")));
            }
        };
        bundleContext.addBundleListener(during);
        try {
            shell.update();
        } finally {
            bundleContext.removeBundleListener(during);
        }
        assertEquals(Map.of("STOPPED", 200, "UNRESOLVED", 200, "UPDATED", 200), filter(answers, "STOPPED", "UNRESOLVED", "UPDATED"));
        assertTrue(shell.getLastModified() > before);
        awaitCommand("stratos:status", out -> out.contains("controller"), Duration.ofSeconds(20));
    }

    private static final Map<Integer, String> STEPS = Map.of(BundleEvent.STOPPED, "STOPPED", BundleEvent.UNRESOLVED, "UNRESOLVED",
            BundleEvent.UPDATED, "UPDATED", BundleEvent.RESOLVED, "RESOLVED");

    private static Map<String, Integer> filter(Map<String, Integer> answers, String... steps) {
        Map<String, Integer> kept = new java.util.TreeMap<>();
        for (String step : steps) {
            kept.put(step, answers.get(step));
        }
        return kept;
    }

    @Test
    public void updatingTheControllerBundleKeepsUptimeAndServesAgain() throws Exception {
        String first = Http.awaitOk(api("/status"), Duration.ofSeconds(30));
        Bundle controller = bundle("stratos-controller");

        controller.update();
        await("controller bundle active", () -> controller.getState() == Bundle.ACTIVE, Duration.ofSeconds(10));
        String again = Http.awaitOk(api("/status"), Duration.ofSeconds(20));
        // Uptime is the process's, not the bundle's: an update does not reset it.
        assertEquals(startedAt(first), startedAt(again));
    }

    /**
     * While the controller bundle is stopped, and while it starts again and its resources are republished, every API
     * call is a 503 with the JSON error and Retry-After: never a 404 for a resource whose service is not there yet,
     * never CXF's HTML or a 500. The window is held open deterministically by the stopped bundle.
     */
    @Test
    public void whileTheControllerIsStoppedOrStartingEveryCallIs503WithRetryAfterNeverA404() throws Exception {
        Http.awaitOk(api("/subscriptions"), Duration.ofSeconds(30));
        Bundle controller = bundle("stratos-controller");
        controller.stop();
        java.util.List<String> seen = new java.util.ArrayList<>();
        try {
            await("the API to close", () -> Http.status(api("/subscriptions")) == 503, Duration.ofSeconds(15));
            for (String path : java.util.List.of("/subscriptions", "/subscriptions/e1", "/status", "/partitions", "/cartridges")) {
                java.net.http.HttpResponse<String> answer = Http.send(Http.request(api(path)));
                assertEquals(path + ": " + answer.body(), 503, answer.statusCode());
                assertEquals(path, "1", answer.headers().firstValue("Retry-After").orElse(null));
                assertTrue(path + ": " + answer.body(), answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json")
                        && Json.hasStrings(answer.body(), "error", "hint"));
            }
        } finally {
            controller.start();
        }
        // Polled through the restart: nothing but 503 until the real answer.
        await("the API to open again", () -> {
            java.net.http.HttpResponse<String> answer;
            try {
                answer = Http.send(Http.request(api("/subscriptions")));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            if (answer.statusCode() != 503 && answer.statusCode() != 200) {
                seen.add(answer.statusCode() + " " + answer.body());
            }
            return answer.statusCode() == 200;
        }, Duration.ofSeconds(30));
        assertEquals("answers other than 503 before the API was ready", java.util.List.of(), seen);
    }

    private static String startedAt(String json) {
        return Json.at(json, "/startedAt");
    }
}
