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
 * @param hostPort   the port published on 127.0.0.1 of this VM, 0 when none yet
 * @param cpuMillis  its CPU request
 * @param memoryMiB  its memory request (and limit)
 * @param restarts   how often the agent restarted it
 * @param metrics    the last sample (CPU %, memory, tasks)
 * @param reason     why it is not RUNNING, empty when it is
 */
public record AgentProcess(String processId, String alias, String cartridge, String runtime, ProcessState state, int hostPort,
                           int cpuMillis, int memoryMiB, int restarts, ProcessMetrics metrics, String reason) {
}
