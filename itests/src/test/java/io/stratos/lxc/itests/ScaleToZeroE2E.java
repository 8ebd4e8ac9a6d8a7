package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.stratos.lxc.itests.support.Decisions;
import io.stratos.lxc.itests.support.Decisions.Decision;
import io.stratos.lxc.itests.support.ScaleToZeroFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Test;

/**
 * Scale to zero on the built controller, real LXC processes behind the router: a quiet subscription goes to zero
 * processes (shown as such, its VM kept), and the requests that come next are held by the router while the autoscaler
 * starts a process at once, and all served: the cycle to zero and back twice, with no failed request.
 */
public class ScaleToZeroE2E {

    private ScaleToZeroFixture fixture;
    private final ExecutorService clients = Executors.newFixedThreadPool(8);

    @After
    public void stop() throws Exception {
        clients.shutdownNow();
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    public void aQuietSubscriptionGoesToZeroAndItsNextRequestsAreServedWithoutAFailure() throws Exception {
        fixture = ScaleToZeroFixture.start("controller-scale-to-zero", 3);
        String alias = ScaleToZeroFixture.ALIAS;
        for (int cycle = 1; cycle <= 2; cycle++) {
            fixture.awaitZero(Duration.ofSeconds(60));
            assertEquals("the VM stays up for the next start", 1,
                    io.stratos.lxc.itests.support.Json.count(fixture.controller().get("/vms"), "state", "READY"));

            // eight requests at once into a subscription at zero: held, one wake, all served
            List<Future<long[]>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(clients.submit(fixture::request));
            }
            long slowest = 0;
            for (Future<long[]> answer : answers) {
                long[] result = answer.get(60, TimeUnit.SECONDS);
                assertEquals("cycle " + cycle + ": a request held through the cold start", 200, result[0]);
                slowest = Math.max(slowest, result[1]);
            }
            System.out.printf("cycle %d: 8 cold requests served, the slowest in %d ms%n", cycle,
                    TimeUnit.NANOSECONDS.toMillis(slowest));
        }
        List<Decision> decisions = Decisions.of(fixture.controller(), 100).stream()
                .filter(d -> d.is("SUBSCRIPTION", alias)).toList();
        assertTrue(decisions.toString(), decisions.stream().anyMatch(d -> d.reason().contains("scaled to zero")));
        assertTrue(decisions.toString(), decisions.stream().anyMatch(d -> d.reason().contains("a request arrived while at zero")));
    }
}
