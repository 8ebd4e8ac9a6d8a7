package io.stratos.lxc.api.router;

import java.util.concurrent.CompletionStage;

/**
 * The backends of every alias, for routers that run apart from the controller: they long-poll it for the changes
 * after the revision they have, as agents do for their desired state.
 */
public interface RouteFeed {

    /**
     * The changes after {@code revision} (0: none known yet, every alias is sent): at once when there are some, else as
     * soon as one is committed, else, after the controller's long-poll time, none ({@link RouteChanges#none}).
     */
    CompletionStage<RouteChanges> changesAfter(long revision);

    /** The revision of the latest change published: a router at it (or later) knows every change made so far. */
    long revision();
}
