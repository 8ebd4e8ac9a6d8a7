package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.stratos.lxc.itests.support.Await;
import io.stratos.lxc.itests.support.ControllerProcess;
import io.stratos.lxc.itests.support.Distribution;
import io.stratos.lxc.itests.support.Http;
import java.time.Duration;
import java.util.Map;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** The built controller distribution, started as a process, answers over REST, SSH shell and remote JMX. */
public class ControllerDistributionE2E {

    private static ControllerProcess process;
    private static Distribution controller;
    private static int sshPort;
    private static int rmiRegistryPort;

    @BeforeClass
    public static void startController() throws Exception {
        process = ControllerProcess.create("controller", 43000);
        controller = process.distribution();
        sshPort = process.sshPort();
        rmiRegistryPort = process.jmxPort();
        long start = System.nanoTime();
        controller.start();
        Http.awaitOk(url("/status"), Duration.ofSeconds(90));
        System.out.printf("controller: REST up %.1f s after start, RSS %d MiB%n",
                (System.nanoTime() - start) / 1e9, controller.rssKiB() / 1024);
        process.awaitReady();
    }

    @AfterClass
    public static void stopController() throws Exception {
        if (process != null) {
            process.close();
        }
    }

    private static String url(String path) {
        return process.api(path);
    }

    @Test
    public void restAnswersStatusWithTheControllerActive() throws Exception {
        String body = Http.awaitOk(url("/status"), Duration.ofSeconds(10));
        assertTrue(body, body.matches("(?s).*\"state\" : \"ACTIVE\".*"));
        assertTrue(body, body.contains("\"name\" : \"controller\""));
        assertTrue(body, body.contains("\"name\" : \"rest\""));
    }

    @Test
    public void theFeatureIsStartedAndTheShellCommandWorksOverSsh() throws Exception {
        String features = controller.client(sshPort, "feature:list -i");
        assertTrue(features, features.matches("(?s).*stratos-lxc\\s+\\|[^\\n]*\\|\\s*Started.*"));
        String status = controller.client(sshPort, "stratos:status");
        assertTrue(status, status.matches("(?s).*controller\\s*\\|\\s*ACTIVE.*"));
    }

    @Test
    public void theControllerMBeanIsReachableOverRemoteJmx() throws Exception {
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + rmiRegistryPort + "/karaf-root");
        // The JMX connector comes up on its own schedule, possibly after REST.
        try (JMXConnector connector = Await.success("the JMX connector", Duration.ofSeconds(30), () -> JMXConnectorFactory.connect(url,
                Map.of(JMXConnector.CREDENTIALS, new String[] {"karaf", "karaf"})))) {
            MBeanServerConnection connection = connector.getMBeanServerConnection();
            ObjectName controllerName = new ObjectName("io.stratos.lxc:type=Controller");
            assertEquals("ACTIVE", connection.getAttribute(controllerName, "State"));
            assertTrue((Long) connection.getAttribute(controllerName, "UptimeSeconds") >= 0);
        }
    }

    @Test
    public void aBadValueInTheCfgFileIsLoggedWithItsKeyAndShownAsUnconfigured() throws Exception {
        controller.configure("io.stratos.lxc.controller.cfg", "desiredStateLongPollSeconds", "soon");
        try {
            String line = controller.awaitLog("Invalid configuration.*desiredStateLongPollSeconds' has value 'soon'",
                    Duration.ofSeconds(20));
            assertTrue(line, line.contains("ERROR"));
            String body = Http.awaitOk(url("/status"), Duration.ofSeconds(5));
            assertTrue(body, body.contains("\"state\" : \"UNCONFIGURED\""));
        } finally {
            controller.configure("io.stratos.lxc.controller.cfg", "desiredStateLongPollSeconds", "25");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!Http.get(url("/status")).body().matches("(?s)[^\\[]*\"state\" : \"ACTIVE\".*") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(Http.get(url("/status")).body().matches("(?s)[^\\[]*\"state\" : \"ACTIVE\".*"));
    }
}
