package io.stratos.lxc.agent.status;

import java.util.List;

/**
 * The end of a process's console output.
 *
 * @param processId the process
 * @param runtime   the runtime that ran it
 * @param source    where the lines come from (the LXC console log file, or Docker's log API)
 * @param lines     the lines, oldest first; empty when the process wrote nothing yet
 */
public record LogTail(String processId, String runtime, String source, List<String> lines) {

    public LogTail {
        lines = List.copyOf(lines);
    }
}
