package io.stratos.lxc.api.history;

/**
 * The last hour of each subscription and partition, sampled in memory every few seconds (PID
 * {@code io.stratos.lxc.history}): what a chart starts from instead of from nothing. Lost when the controller
 * restarts. It answers for any name: one it does not track (unknown, just created, or beyond the tracking cap)
 * has no samples. Whether the caller may see a subscription or partition is for the front end to check first
 * (through the cloud controller, scoped to the caller).
 */
public interface HistoryService {

    /** The most a caller can ask for: the history is an hour long. */
    int MAX_MINUTES = 60;

    /**
     * The subscription's samples of the last {@code minutes} (1 to {@link #MAX_MINUTES}), oldest first.
     * INVALID_INPUT ({@link io.stratos.lxc.api.StratosException}) naming {@code minutes} when it is out of range.
     */
    SubscriptionHistory subscription(String alias, int minutes);

    /** The partition's samples of the last {@code minutes}, oldest first; as {@link #subscription}. */
    PartitionHistory partition(String name, int minutes);
}
