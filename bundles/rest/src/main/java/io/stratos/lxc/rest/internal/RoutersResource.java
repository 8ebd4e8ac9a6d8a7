package io.stratos.lxc.rest.internal;

import io.stratos.lxc.api.router.RemoteRouter;
import io.stratos.lxc.api.router.RemoteRouters;
import java.util.List;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code GET /routers}: the routers apart from the controller, as their reports show them (admins). */
@Component(service = RestResource.class)
@Path("/routers")
@Produces(MediaType.APPLICATION_JSON)
public class RoutersResource implements RestResource {

    @Reference
    RemoteRouters routers;

    @GET
    public List<RemoteRouter> routers() {
        return routers.routers();
    }
}
