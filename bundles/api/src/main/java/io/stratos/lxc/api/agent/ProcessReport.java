package io.stratos.lxc.api.agent;

import io.stratos.lxc.api.controller.ProcessMetrics;
import io.stratos.lxc.api.controller.ProcessState;

/** An agent's view of one process: its state, host port on 127.0.0.1, why, and its metrics. */
public record ProcessReport(String processId, ProcessState state, int hostPort, String reason, ProcessMetrics metrics) {
}
