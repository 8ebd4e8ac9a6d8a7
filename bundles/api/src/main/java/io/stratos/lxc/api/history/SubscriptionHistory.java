package io.stratos.lxc.api.history;

import java.util.List;

/**
 * A subscription's recent samples.
 *
 * @param alias           the subscription
 * @param intervalSeconds seconds between samples
 * @param tracked         false when the controller keeps no history for it (not seen yet, or more subscriptions
 *                        than {@code maxSubscriptions} are tracked); then there are no samples
 * @param samples         oldest first
 */
public record SubscriptionHistory(String alias, int intervalSeconds, boolean tracked, List<Sample> samples) {

    public SubscriptionHistory {
        samples = List.copyOf(samples);
    }

    /**
     * One sample.
     *
     * @param t           epoch milliseconds
     * @param running     RUNNING processes
     * @param inFlight    requests in flight through every router, summed over the processes
     * @param cpu         CPU % per RUNNING process (mean; 100 is one core)
     * @param memoryBytes memory of the RUNNING processes, summed
     */
    public record Sample(long t, int running, double inFlight, double cpu, long memoryBytes) {
    }
}
