package io.stratos.lxc.api.router;

import java.util.List;
import java.util.Map;

/**
 * What a router must change in its table of backends to be at {@code revision}.
 *
 * @param revision the revision of the controller's routes this brings the router to: ask for the changes after it next
 * @param complete true when {@code aliases} holds every alias (the router drops any other it knows): the answer to a
 *                 first request, or to a revision the controller no longer has the changes since (it restarted, or
 *                 too much changed meanwhile)
 * @param aliases  alias to its RUNNING backends (possibly none), for each alias that changed
 * @param removed  aliases that no longer exist (never set when {@code complete})
 */
public record RouteChanges(long revision, boolean complete, Map<String, List<Route>> aliases, List<String> removed) {

    public RouteChanges {
        aliases = Map.copyOf(aliases);
        removed = List.copyOf(removed);
    }

    /** Nothing changed after {@code revision}. */
    public static RouteChanges none(long revision) {
        return new RouteChanges(revision, false, Map.of(), List.of());
    }
}
