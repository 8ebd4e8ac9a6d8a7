package io.stratos.lxc.rest.internal;

import io.stratos.lxc.api.security.Role;
import io.stratos.lxc.api.status.ComponentStatus;
import io.stratos.lxc.api.status.StatusService;
import io.stratos.lxc.api.status.SystemStatus;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code GET /status}: version, uptime and component states. Components' details (fleet-wide counts, the store's and
 * git's directories) are the operators': a tenant gets the states without them.
 */
@Component(service = RestResource.class)
@Path("/status")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource implements RestResource {

    @Reference
    StatusService statusService;

    @Context
    SecurityContext security;

    @Allowed({Role.TENANT})
    @GET
    public SystemStatus status() {
        SystemStatus status = statusService.status();
        return CallerPrincipal.of(security).isAdmin() ? status : forTenant(status);
    }

    static SystemStatus forTenant(SystemStatus status) {
        return new SystemStatus(status.version(), status.startedAt(), status.uptimeSeconds(), status.state(),
                status.components().stream().map(c -> new ComponentStatus(c.name(), c.state(), "")).toList(),
                status.role(), status.leaseEpoch(), status.leaseHolder());
    }
}
