package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.stratos.lxc.api.router.RouterMetrics;
import io.stratos.lxc.api.status.ComponentState;
import io.stratos.lxc.api.status.ComponentStatus;
import io.stratos.lxc.api.status.StatusService;
import io.stratos.lxc.itests.support.Http;
import io.stratos.lxc.itests.support.Json;
import io.stratos.lxc.itests.support.StratosKarafTestSupport;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.inject.Inject;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The router of {@code feature:install stratos-lxc} in a stock Karaf: the JDK's HTTP server loads
 * through boot delegation, it listens on its own (here free) port, and its figures show in status,
 * REST, shell and JMX.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RouterIT extends StratosKarafTestSupport {

    @Inject
    RouterMetrics router;

    @Inject
    StatusService statusService;

    @Inject
    MBeanServer mbeanServer;

    private int routerPort() throws InterruptedException {
        await("the router listening", () -> router.stats().listening(), Duration.ofSeconds(20));
        int port = router.stats().port();
        assertNotEquals(8280, port);
        return port;
    }

    @Test
    public void listensOnItsOwnPortAndAnswersAnUnknownAliasWithJson404() throws Exception {
        int port = routerPort();
        ComponentStatus status = statusService.status().components().stream().filter(c -> c.name().equals("router"))
                .findFirst().orElseThrow(() -> new AssertionError("no router in " + statusService.status()));
        assertEquals(status.toString(), ComponentState.ACTIVE, status.state());
        assertTrue(status.detail(), status.detail().startsWith("listening on 127.0.0.1:" + port + ", "));
        HttpResponse<String> response = Http.get("http://127.0.0.1:" + port + "/nope/");
        assertEquals(404, response.statusCode());
        assertEquals(response.body(), "no subscription 'nope'", Json.at(response.body(), "/error"));
    }

    @Test
    public void restShellAndJmxShowTheRouter() throws Exception {
        int port = routerPort();
        String body = Http.awaitOk(api("/router"), Duration.ofSeconds(30));
        assertEquals(body, String.valueOf(port), Json.at(body, "/port"));
        assertEquals(body, "true", Json.at(body, "/listening"));
        String output = awaitCommand("stratos:router-stats", out -> out.contains("In flight"), Duration.ofSeconds(20));
        assertTrue(output, output.contains("Router listening on 127.0.0.1:" + port));
        ObjectName name = new ObjectName("io.stratos.lxc:type=Router");
        await("the Router MBean", () -> mbeanServer.isRegistered(name), Duration.ofSeconds(20));
        assertEquals(port, mbeanServer.getAttribute(name, "Port"));
        assertEquals(0, mbeanServer.getAttribute(name, "RequestsInFlight"));
    }
}
