package io.stratos.lxc.api.controller;

import java.util.Map;

/**
 * The last metrics an agent reported for a process; zeros until then.
 *
 * @param application        the application metrics its agent scraped from it (only those an autoscale policy of its
 *                           subscription names), by name; empty when none is asked for or none could be read
 * @param applicationProblem why its application metrics were ignored in the last scrape (no answer, not OpenMetrics
 *                           text, too large, a redirect, ...); null when there was none
 */
public record ProcessMetrics(double cpuPercent, long memoryBytes, long memoryLimitBytes, int pids,
                             int requestsInFlight, Map<String, Double> application, String applicationProblem) {

    public static final ProcessMetrics NONE = new ProcessMetrics(0, 0, 0, 0, 0);

    public ProcessMetrics {
        application = application == null ? Map.of() : Map.copyOf(application);
    }

    public ProcessMetrics(double cpuPercent, long memoryBytes, long memoryLimitBytes, int pids, int requestsInFlight) {
        this(cpuPercent, memoryBytes, memoryLimitBytes, pids, requestsInFlight, Map.of(), null);
    }

    /** The same resource metrics with these application metrics. */
    public ProcessMetrics withApplication(Map<String, Double> values, String problem) {
        return new ProcessMetrics(cpuPercent, memoryBytes, memoryLimitBytes, pids, requestsInFlight, values, problem);
    }
}
