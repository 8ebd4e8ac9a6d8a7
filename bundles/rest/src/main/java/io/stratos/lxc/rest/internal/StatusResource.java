package io.stratos.lxc.rest.internal;

import io.stratos.lxc.api.security.Role;
import io.stratos.lxc.api.status.StatusService;
import io.stratos.lxc.api.status.SystemStatus;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code GET /status}: version, uptime and component states. */
@Component(service = RestResource.class)
@Path("/status")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource implements RestResource {

    @Reference
    StatusService statusService;

    @Allowed({Role.TENANT})
    @GET
    public SystemStatus status() {
        return statusService.status();
    }
}
