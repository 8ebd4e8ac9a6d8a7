package io.stratos.lxc.rest.internal;

import io.stratos.lxc.api.security.Role;
import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.autoscaler.AutoscalePolicy;
import io.stratos.lxc.api.autoscaler.Autoscaler;
import io.stratos.lxc.api.autoscaler.ScalingDecision;
import java.net.URI;
import java.util.List;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Autoscale policies and the autoscaler's decisions. Present while the autoscaler service is. */
@Component(service = RestResource.class)
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AutoscalerResource implements RestResource {

    static final int MAX_LIMIT = 10_000;

    @Reference
    Autoscaler autoscaler;

    @POST
    @Path("autoscale-policies")
    public Response create(AutoscalePolicy policy) {
        AutoscalePolicy created = autoscaler.createPolicy(policy);
        return Response.created(URI.create("autoscale-policies/" + created.name())).entity(created).build();
    }

    @Allowed({Role.TENANT})
    @GET
    @Path("autoscale-policies")
    public List<AutoscalePolicy> list() {
        return autoscaler.policies();
    }

    @Allowed({Role.TENANT})
    @GET
    @Path("autoscale-policies/{name}")
    public AutoscalePolicy get(@PathParam("name") String name) {
        return autoscaler.policy(name);
    }

    @PUT
    @Path("autoscale-policies/{name}")
    public AutoscalePolicy update(@PathParam("name") String name, AutoscalePolicy policy) {
        return autoscaler.updatePolicy(name, policy);
    }

    @DELETE
    @Path("autoscale-policies/{name}")
    public Response delete(@PathParam("name") String name) {
        autoscaler.deletePolicy(name);
        return Response.noContent().build();
    }

    /** Newest first; {@code limit} 1 to 10000, default 100. */
    @GET
    @Path("autoscaler/decisions")
    public List<ScalingDecision> decisions(@QueryParam("limit") @DefaultValue("100") String limit) {
        int n;
        try {
            n = Integer.parseInt(limit.trim());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > MAX_LIMIT) {
            throw StratosException.invalid("limit", "limit must be a whole number from 1 to " + MAX_LIMIT + ", not '" + limit + "'",
                    "e.g. GET /autoscaler/decisions?limit=20");
        }
        return autoscaler.decisions(n);
    }
}
