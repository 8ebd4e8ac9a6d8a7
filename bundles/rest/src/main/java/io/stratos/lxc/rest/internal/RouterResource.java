package io.stratos.lxc.rest.internal;

import io.stratos.lxc.api.router.AliasTraffic;
import io.stratos.lxc.api.router.RouterMetrics;
import io.stratos.lxc.api.router.RouterStats;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code GET /router}: where the router listens and its traffic per alias; {@code GET /router/{alias}}: one alias. */
@Component(service = RestResource.class)
@Path("/router")
@Produces(MediaType.APPLICATION_JSON)
public class RouterResource implements RestResource {

    @Reference
    RouterMetrics router;

    @GET
    public RouterStats stats() {
        return router.stats();
    }

    @GET
    @Path("{alias}")
    public AliasTraffic alias(@PathParam("alias") String alias) {
        return router.traffic(alias);
    }
}
