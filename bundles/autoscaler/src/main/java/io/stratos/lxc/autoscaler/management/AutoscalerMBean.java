package io.stratos.lxc.autoscaler.management;

/** JMX view {@code io.stratos.lxc:type=Autoscaler}: the same as {@code stratos:autoscale-decisions}, live. */
public interface AutoscalerMBean {

    boolean isEnabled();

    /** Number of autoscale policies. */
    int getPolicies();

    /** Subscriptions autoscaled (naming an existing policy) in the last evaluation. */
    int getAutoscaledSubscriptions();

    /** The newest decision on one line, empty when there is none. */
    String getLastDecision();

    /** Decisions made in the last 60 seconds. */
    int getDecisionsPerMinute();

    /** Processes pending placement over all partitions (what level 2 acts on). */
    int getPending();

    /** Milliseconds the last evaluation pass (both levels) took. */
    double getLastEvaluationMillis();

    /** The longest evaluation pass since this attribute was last read, in milliseconds. */
    double getMaxEvaluationMillis();

    /** The newest decisions, one line each, newest first. */
    String[] decisions(int limit);

    /** The policies, one line each. */
    String[] policies();
}
