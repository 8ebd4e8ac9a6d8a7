package io.stratos.lxc.api.router;

import java.util.Map;

/**
 * Where routers apart from the controller report their traffic (POST /stratos/router/v1/traffic), so that the
 * requests in flight through every router reach the autoscaler.
 */
public interface RouterTrafficSink {

    /**
     * The router's requests in flight per process of each alias it has any for, now; replaces its last report. An
     * alias it leaves out has none through it.
     *
     * @param router   a name of the router's own, stable while it runs (e.g. {@code edge1@10.0.0.7:8280})
     * @param perAlias alias to requests in flight through this router divided by the alias's backends it knows
     */
    void report(String router, Map<String, Double> perAlias);

    /** A whole report: also the aliases requested, the router's route revision and its requests per process. */
    default void report(RouterReport report) {
        report(report.router(), report.inFlight());
    }
}
