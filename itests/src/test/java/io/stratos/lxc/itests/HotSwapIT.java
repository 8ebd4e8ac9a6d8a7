package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.stratos.lxc.itests.support.Http;
import io.stratos.lxc.itests.support.StratosKarafTestSupport;
import java.time.Duration;
import javax.inject.Inject;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

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
            await("REST to go away", () -> Http.status(api("/status")) == 404, Duration.ofSeconds(10));
            String output = executeCommand("stratos:status");
            assertTrue(output, output.matches("(?s).*controller\\s*\\|\\s*ACTIVE.*"));
            assertTrue("the rest component is no longer listed: " + output, !output.contains("rest "));
            assertEquals("ACTIVE", mbeanServer.getAttribute(new ObjectName("io.stratos.lxc:type=Controller"), "State"));
        } finally {
            rest.start();
        }
        String body = Http.awaitOk(api("/status"), Duration.ofSeconds(10));
        assertTrue(body, body.contains("\"controller\""));
    }

    @Test
    public void updatingTheShellBundleDoesNotInterruptRest() throws Exception {
        Http.awaitOk(api("/status"), Duration.ofSeconds(30));
        Bundle shell = bundle("stratos-shell");
        long before = shell.getLastModified();

        shell.update();
        // REST keeps answering while the shell bundle is replaced.
        for (int i = 0; i < 20; i++) {
            assertEquals(200, Http.status(api("/status")));
            Thread.sleep(25);
        }
        assertTrue(shell.getLastModified() > before);
        awaitCommand("stratos:status", out -> out.contains("controller"), Duration.ofSeconds(20));
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

    private static String startedAt(String json) {
        int at = json.indexOf("\"startedAt\"");
        return json.substring(at, json.indexOf(',', at));
    }
}
