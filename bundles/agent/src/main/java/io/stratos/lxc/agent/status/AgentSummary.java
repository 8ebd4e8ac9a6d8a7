package io.stratos.lxc.agent.status;

import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.controller.Resources;
import java.util.List;
import java.util.Map;

/**
 * The agent at a glance.
 *
 * @param vmId              this VM
 * @param partition         its partition, empty when standalone
 * @param version           the agent bundle's version
 * @param connection        {@code standalone}, or the state of its connection to the controller
 * @param uptimeMillis      since the agent's JVM started
 * @param capacity          what the VM offers to processes
 * @param allocated         the sum of the requests of the processes placed here
 * @param memoryUsedBytes   memory the running containers use now (their cgroups)
 * @param processesByState  how many processes are in each state (every state present, zeros included)
 * @param runtimes          each configured runtime: "available" or why not
 * @param portRangeStart    first host port for processes
 * @param portRangeEnd      last host port for processes
 * @param portsInUse        host ports held by processes
 * @param imageCount        images in the cache
 * @param imageCacheBytes   bytes of the unpacked images
 * @param imageCacheLimitBytes the cache's size limit (unused images beyond it are evicted)
 * @param imageFetches      images fetched from the store since the agent started
 * @param publishAddress    the address processes are published on (and reported to the controller)
 * @param allowedSources    the addresses and CIDR ranges whose connections the published ports accept
 * @param refusedConnections connections to published ports from other sources, closed at once, since the agent started
 * @param problem           what keeps the agent from publishing processes (its address cannot be bound), empty when nothing
 */
public record AgentSummary(String vmId, String partition, String version, String connection, long uptimeMillis,
                           Resources capacity, Resources allocated, long memoryUsedBytes,
                           Map<ProcessState, Integer> processesByState, Map<String, String> runtimes,
                           int portRangeStart, int portRangeEnd, int portsInUse,
                           int imageCount, long imageCacheBytes, long imageCacheLimitBytes, int imageFetches,
                           String publishAddress, List<String> allowedSources, long refusedConnections, String problem) {

    public AgentSummary {
        processesByState = Map.copyOf(processesByState);
        runtimes = Map.copyOf(runtimes);
        publishAddress = publishAddress == null ? "" : publishAddress;
        allowedSources = allowedSources == null ? List.of() : List.copyOf(allowedSources);
        problem = problem == null ? "" : problem;
    }

    /** Without the publishing facts (views built before they existed). */
    public AgentSummary(String vmId, String partition, String version, String connection, long uptimeMillis,
                        Resources capacity, Resources allocated, long memoryUsedBytes,
                        Map<ProcessState, Integer> processesByState, Map<String, String> runtimes,
                        int portRangeStart, int portRangeEnd, int portsInUse,
                        int imageCount, long imageCacheBytes, long imageCacheLimitBytes, int imageFetches) {
        this(vmId, partition, version, connection, uptimeMillis, capacity, allocated, memoryUsedBytes, processesByState, runtimes,
                portRangeStart, portRangeEnd, portsInUse, imageCount, imageCacheBytes, imageCacheLimitBytes, imageFetches, "", List.of(),
                0, "");
    }

    public int processCount() {
        return processesByState.values().stream().mapToInt(Integer::intValue).sum();
    }

    public int processes(ProcessState state) {
        return processesByState.getOrDefault(state, 0);
    }
}
