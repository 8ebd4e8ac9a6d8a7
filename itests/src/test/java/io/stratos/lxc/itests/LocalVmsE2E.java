package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.stratos.lxc.itests.support.Await;
import io.stratos.lxc.itests.support.Distribution;
import io.stratos.lxc.itests.support.FreePorts;
import io.stratos.lxc.itests.support.Http;
import io.stratos.lxc.itests.support.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The controller distribution with its embedded local IaaS adapter: a partition's VMs are real agent
 * distributions started on this host, which register and report in; they survive an adapter bundle
 * swap and a kill -9 of the controller, and a lost VM is replaced.
 */
public class LocalVmsE2E {

    private Distribution controller;
    private int httpPort;
    private int sshPort;
    private int jmxPort;

    @Before
    public void startController() throws Exception {
        httpPort = FreePorts.next();
        sshPort = FreePorts.next();
        jmxPort = FreePorts.next();
        controller = Distribution.unpack("stratos.controller.dist", "controller-vms", Map.of())
                .configure("org.ops4j.pax.web.cfg", "org.osgi.service.http.port", String.valueOf(httpPort))
                .configure("org.apache.karaf.shell.cfg", "sshPort", String.valueOf(sshPort))
                .configure("org.apache.karaf.management.cfg", "rmiRegistryPort", String.valueOf(jmxPort))
                .configure("org.apache.karaf.management.cfg", "rmiServerPort", String.valueOf(FreePorts.next()))
                .configure("io.stratos.lxc.controller.cfg", "agentGracePeriodSeconds", "6")
                .configure("io.stratos.lxc.controller.cfg", "desiredStateLongPollSeconds", "3")
                .configure("io.stratos.lxc.iaas.local.cfg", "portRangeStart", "41000");
        controller.start();
        awaitLocalAdapter();
    }

    /** REST may answer before the adapter bundle is up: wait until the status lists it ACTIVE. */
    private void awaitLocalAdapter() throws Exception {
        Await.success("the local adapter", Duration.ofSeconds(90), () -> {
            String status = Http.get(api("/status")).body();
            assertTrue(status, status.matches("(?s).*\"name\" : \"iaas-local\",\\s*\"state\" : \"ACTIVE\".*"));
            // and the controller's resources are published (after the controller loaded its state)
            assertEquals(200, Http.get(api("/partitions")).statusCode());
            return null;
        });
    }

    @After
    public void stopController() throws Exception {
        if (controller != null) {
            // Destroys the partition's VMs (agent processes), so nothing outlives the test.
            try {
                send("DELETE", "/partitions/web", null);
            } catch (Exception e) {
                // the controller may be down if the test failed midway
            }
            controller.close();
            for (ProcessHandle agent : agents()) {
                agent.destroyForcibly();
            }
        }
    }

    private String api(String path) {
        return "http://127.0.0.1:" + httpPort + "/stratos/api/v1" + path;
    }

    private HttpResponse<String> send(String method, String path, String json) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(api(path))).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return HttpClient.newHttpClient().send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Agent JVMs started by this controller's local adapter. */
    private List<ProcessHandle> agents() {
        String vmsDir = controller.home().resolve("data/iaas-local").toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(vmsDir)).orElse(false))
                .toList();
    }

    private String awaitVms(long ready) throws Exception {
        return Await.success(ready + " READY VMs", Duration.ofSeconds(60), () -> {
            String vms = Http.get(api("/vms")).body();
            assertEquals(vms, ready, Json.count(vms, "state", "READY"));
            return vms;
        });
    }

    @Test
    public void partitionVmsAreRealAgentsThatSurviveAdapterSwapAndControllerCrash() throws Exception {
        HttpResponse<String> created = send("POST", "/partitions",
                "{\"name\":\"web\",\"cartridge\":\"static-httpd\",\"minVms\":2,\"maxVms\":3,\"vmCapacity\":{\"cpuMillis\":1000,\"memoryMiB\":512}}");
        assertEquals(created.body(), 201, created.statusCode());
        List<String> ids = Json.strings(awaitVms(2), "id");
        assertEquals(2, agents().size());
        assertEquals(2, Await.success("the partition's MBean", Duration.ofSeconds(30), () -> {
            JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/karaf-root");
            try (JMXConnector jmx = JMXConnectorFactory.connect(url, Map.of(JMXConnector.CREDENTIALS, new String[] {"karaf", "karaf"}))) {
                return jmx.getMBeanServerConnection().getAttribute(new ObjectName("io.stratos.lxc:type=Partition,name=\"web\""), "ReadyVms");
            }
        }));

        // Hot swap: the adapter bundle goes away; VMs keep running, the partition says so; it comes back.
        controller.client(sshPort, "bundle:stop stratos-iaas-local");
        Await.success("ADAPTER_UNAVAILABLE", Duration.ofSeconds(10), () -> {
            assertTrue(Http.get(api("/partitions/web")).body().contains("\"state\" : \"ADAPTER_UNAVAILABLE\""));
            return null;
        });
        assertEquals(2, agents().size());
        controller.client(sshPort, "bundle:start stratos-iaas-local");
        Await.success("ACTIVE", Duration.ofSeconds(10), () -> {
            assertTrue(Http.get(api("/partitions/web")).body().contains("\"state\" : \"ACTIVE\""));
            return null;
        });

        // kill -9 of the controller: the agents live on, and after a restart the same VMs are READY.
        controller.kill();
        assertEquals(2, agents().size());
        controller.start();
        awaitLocalAdapter();
        assertEquals(ids, Json.strings(awaitVms(2), "id"));
        assertEquals(2, agents().size());
    }

    @Test
    public void aVmWhoseAgentDiesIsLostAfterTheGracePeriodAndReplaced() throws Exception {
        HttpResponse<String> created = send("POST", "/partitions", "{\"name\":\"web\",\"cartridge\":\"static-httpd\",\"minVms\":1,\"maxVms\":2}");
        assertEquals(created.body(), 201, created.statusCode());
        String victim = Json.strings(awaitVms(1), "id").get(0);

        agents().forEach(ProcessHandle::destroyForcibly);

        Await.success("a new VM replacing " + victim, Duration.ofSeconds(60), () -> {
            String vms = Http.get(api("/vms")).body();
            assertTrue(vms, vms.matches("(?s).*\"id\" : \"" + victim + "\".*?\"state\" : \"LOST\".*"));
            assertEquals(vms, 1, Json.count(vms, "state", "READY"));
            return null;
        });
    }
}
