package io.stratos.lxc.api.router;

import java.util.List;

/** The routers apart from the controller that reported lately ({@code GET /routers}, {@code stratos:router-list}). */
public interface RemoteRouters {

    /** Every router that reported in the last ten minutes, by name. */
    List<RemoteRouter> routers();
}
