package io.stratos.lxc.api.router;

/**
 * The router's live traffic figures, per subscription alias. The autoscaler reads
 * {@link #requestsInFlight(String)}; REST ({@code GET /router}), the shell ({@code stratos:router-stats})
 * and JMX ({@code io.stratos.lxc:type=Router}) show {@link #stats()}. Every method is cheap and never
 * takes the controller's lock.
 */
public interface RouterMetrics {

    /** Requests of this alias being served right now; 0 for an alias the router has not seen. */
    int requestsInFlight(String alias);

    /** The figures of one alias; all zeros for an alias the router has not seen. */
    AliasTraffic traffic(String alias);

    /** Where the router listens and the figures of every alias it has served. */
    RouterStats stats();

    /** The alias's request durations in buckets, or null when this router keeps none (the figures' p50/p99 remain). */
    default LatencyHistogram latencyHistogram(String alias) {
        return null;
    }
}
