package io.stratos.lxc.api.agent;

import java.util.List;

/**
 * Everything an agent's VM should run. {@code revision} grows with every change; an agent long-polls
 * {@code GET .../desired?since=<revision>} and gets an answer when it differs or the poll times out.
 */
public record DesiredState(long revision, List<DesiredProcess> processes) {

    public DesiredState {
        processes = List.copyOf(processes);
    }
}
