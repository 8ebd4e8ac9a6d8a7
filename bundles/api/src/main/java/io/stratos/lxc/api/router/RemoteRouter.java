package io.stratos.lxc.api.router;

/**
 * A router apart from the controller, as its reports show it.
 *
 * @param name              the name it reports under ({@code router-<id>@<address>:<port>})
 * @param lastReport        when its last report came (ISO-8601)
 * @param fresh             whether that report is recent enough to count (its traffic and drains count only then)
 * @param revision          the route feed revision its routes are at
 * @param upToDate          whether that revision holds every route change made so far
 * @param requestsInFlight  its requests in flight to processes, over all aliases
 */
public record RemoteRouter(String name, String lastReport, boolean fresh, long revision, boolean upToDate,
                           int requestsInFlight) {
}
