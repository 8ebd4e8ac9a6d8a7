package io.stratos.lxc.api.router;

/**
 * Traffic of one subscription alias through the router, since the router started.
 *
 * @param requestsInFlight  requests being served now (from the first byte read to the last byte written)
 * @param requests          requests answered or failed in total
 * @param errors            of those, 5xx answers (the backend's or the router's) and backend failures
 * @param latencyEwmaMillis exponentially weighted moving average of the request duration (recent requests weigh most)
 * @param latencyP50Millis  median request duration (upper bound of its histogram bucket)
 * @param latencyP99Millis  99th percentile request duration (upper bound of its histogram bucket)
 * @param backends          RUNNING processes the router spreads this alias over, as last seen
 * @param backendsDown      of those, the ones marked down after a connection failure
 */
public record AliasTraffic(String alias, int requestsInFlight, long requests, long errors, double latencyEwmaMillis,
                           double latencyP50Millis, double latencyP99Millis, int backends, int backendsDown) {

    public static AliasTraffic none(String alias) {
        return new AliasTraffic(alias, 0, 0, 0, 0, 0, 0, 0, 0);
    }
}
