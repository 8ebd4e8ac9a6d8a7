package io.stratos.lxc.api.controller;

/** The last metrics an agent reported for a process; zeros until then. */
public record ProcessMetrics(double cpuPercent, long memoryBytes, long memoryLimitBytes, int pids,
                             int requestsInFlight) {

    public static final ProcessMetrics NONE = new ProcessMetrics(0, 0, 0, 0, 0);
}
