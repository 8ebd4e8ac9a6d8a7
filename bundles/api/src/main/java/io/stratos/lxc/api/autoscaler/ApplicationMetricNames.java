package io.stratos.lxc.api.autoscaler;

import java.util.List;

/**
 * Which application metrics an autoscale policy targets (its {@link AutoscalePolicy#CUSTOM} target), so that the
 * controller asks each process's agent to scrape and report only those. Answers at once and takes no lock: the
 * controller asks while it holds its own.
 */
public interface ApplicationMetricNames {

    /** The application metric names the policy targets; empty for an unknown policy or one without. */
    List<String> applicationMetrics(String policy);
}
