package io.stratos.lxc.agent.status;

import java.util.Map;

/**
 * The agent over JMX, {@code io.stratos.lxc:type=Agent}: what an operator watches on a partition VM.
 * Values are at most one second old.
 */
public interface AgentMXBean {

    String OBJECT_NAME = "io.stratos.lxc:type=Agent";

    String getVmId();

    String getPartition();

    String getVersion();

    /** {@code standalone}, or the state of the connection to the controller. */
    String getConnection();

    long getUptimeSeconds();

    int getCapacityCpuMillis();

    int getCapacityMemoryMiB();

    /** Sum of the CPU requests of the processes placed on this VM. */
    int getAllocatedCpuMillis();

    /** Sum of the memory requests of the processes placed on this VM. */
    int getAllocatedMemoryMiB();

    /** Memory the containers use now, from their cgroups. */
    long getMemoryUsedBytes();

    int getProcesses();

    int getProcessesRunning();

    int getProcessesStarting();

    int getProcessesFailed();

    int getProcessesPending();

    /** Every process state with its count. */
    Map<String, Integer> getProcessesByState();

    int getPortsInUse();

    int getPortsFree();

    int getImageCount();

    long getImageCacheBytes();

    long getImageCacheLimitBytes();

    /** Images fetched from the store since the agent started. */
    int getImageFetches();

    /** Each runtime: "available", or why not. */
    Map<String, String> getRuntimes();

    /** The address this VM's processes are published on. */
    String getPublishAddress();

    /** The addresses and CIDR ranges whose connections the published ports accept. */
    String[] getAllowedSources();

    /** Connections to published ports from any other source, closed at once, since the agent started. */
    long getRefusedConnections();

    /** What keeps the agent from publishing processes, empty when nothing. */
    String getProblem();
}
