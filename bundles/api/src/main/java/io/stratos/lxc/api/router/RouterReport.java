package io.stratos.lxc.api.router;

import java.util.List;
import java.util.Map;

/**
 * What a router apart from the controller reports every second (POST /stratos/router/v1/traffic).
 *
 * @param router    a name of the router's own, stable while it runs (e.g. {@code edge1@10.0.0.7:8280})
 * @param inFlight  alias to requests in flight through this router divided by the alias's backends it knows
 * @param requested the aliases it got a request for since its last report (scale to zero's quiet spells)
 * @param revision  the route feed revision its routes are at: a process the controller took out of service at or
 *                  before it gets no new request from this router
 * @param processes process id to requests in flight to it through this router, for those with any (drains)
 */
public record RouterReport(String router, Map<String, Double> inFlight, List<String> requested, long revision,
                           Map<String, Integer> processes) {

    public RouterReport {
        inFlight = inFlight == null ? Map.of() : Map.copyOf(inFlight);
        requested = requested == null ? List.of() : List.copyOf(requested);
        processes = processes == null ? Map.of() : Map.copyOf(processes);
    }
}
