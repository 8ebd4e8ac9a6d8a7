package io.stratos.lxc.itests;

import static org.junit.Assert.assertTrue;

import io.stratos.lxc.itests.support.Distribution;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.Test;

/** The minimal agent distribution boots on its own and takes its settings from the environment. */
public class AgentDistributionE2E {

    @Test
    public void theAgentBootsAndTakesItsIdentityFromTheEnvironment() throws Exception {
        try (Distribution agent = Distribution.unpack("stratos.agent.dist", "agent",
                Map.of("STRATOS_AGENT_VM_ID", "e2e-vm-1", "STRATOS_AGENT_PARTITION", "static", "STRATOS_AGENT_JOIN_TOKEN", "t0ken"))) {
            long start = System.nanoTime();
            agent.start();
            String ready = agent.awaitLog("Stratos agent ready", Duration.ofSeconds(60));
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("agent: ready %.2f s after start, RSS %d MiB%n", seconds, agent.rssKiB() / 1024);

            assertTrue(ready, ready.contains("vmId=e2e-vm-1"));
            assertTrue(ready, ready.contains("partition=static"));
            assertTrue("the join token is never logged: " + ready, !ready.contains("t0ken"));
            // Only what the agent needs: no web server, no CXF (SSH is there for agent:*, on 127.0.0.1: AgentShellE2E).
            String log = Files.readString(agent.log());
            assertTrue(!log.contains("org.apache.cxf") && !log.contains("pax-web"));
            // The Docker runtime is an optional feature the agent installs when a docker process is wanted: an LXC VM
            // never loads docker-java, its HTTP stack or their dependencies (Guava, JNA, ...).
            assertTrue("docker-java's dependencies are not installed at boot",
                    !log.contains("mvn:com.google.guava/guava") && !log.contains("mvn:net.java.dev.jna/jna")
                    && !log.contains("mvn:io.stratos.lxc/stratos-agent-docker/"));
        }
    }
}
