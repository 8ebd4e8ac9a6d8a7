package io.stratos.lxc.agent.status;

import java.util.List;

/**
 * What the agent of this VM holds and runs, for its own views (the {@code agent:*} shell commands and the
 * {@code io.stratos.lxc:type=Agent} MBean). Read-only: nothing here changes a process.
 */
public interface AgentStatus {

    /** Identity, capacity, what is allocated and in use, process counts, image cache. */
    AgentSummary summary();

    /** Every process this agent was asked to run, by process id. */
    List<AgentProcess> processes();

    /** Images unpacked in this VM's cache, most recently used first. */
    List<AgentImage> images();

    /**
     * The last {@code lines} lines the process's container wrote to its console (stdout and stderr).
     *
     * @throws io.stratos.lxc.api.StratosException NOT_FOUND for a process this agent does not run,
     *         INVALID_INPUT for {@code lines < 1}
     */
    LogTail logTail(String processId, int lines);
}
