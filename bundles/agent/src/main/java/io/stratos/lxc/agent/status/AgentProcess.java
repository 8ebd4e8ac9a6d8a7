package io.stratos.lxc.agent.status;

import io.stratos.lxc.api.controller.ProcessMetrics;
import io.stratos.lxc.api.controller.ProcessState;

/**
 * One process as this agent sees it.
 *
 * @param processId  its id (the container is {@code stratos-<processId>})
 * @param alias      the subscription it belongs to
 * @param cartridge  cartridge name and version ({@code static-httpd:1.0.0})
 * @param runtime    {@code lxc} or {@code docker}
 * @param state      its state
 * @param hostPort   the port published on this VM's publish address, 0 when none yet
 * @param cpuMillis  its CPU request
 * @param memoryMiB  its memory request (and limit)
 * @param restarts   how often the agent restarted it
 * @param metrics    the last sample (CPU %, memory, tasks)
 * @param reason     why it is not RUNNING, empty when it is
 * @param endpoint   {@code <publish address>:<hostPort>} ({@code [v6]:port}) where it is reached, empty when no port yet
 */
public record AgentProcess(String processId, String alias, String cartridge, String runtime, ProcessState state, int hostPort,
                           int cpuMillis, int memoryMiB, int restarts, ProcessMetrics metrics, String reason, String endpoint) {

    public AgentProcess {
        endpoint = endpoint == null ? "" : endpoint;
    }

    /** Without the endpoint (views built before it existed). */
    public AgentProcess(String processId, String alias, String cartridge, String runtime, ProcessState state, int hostPort,
                        int cpuMillis, int memoryMiB, int restarts, ProcessMetrics metrics, String reason) {
        this(processId, alias, cartridge, runtime, state, hostPort, cpuMillis, memoryMiB, restarts, metrics, reason, "");
    }
}
