package io.stratos.lxc.rest.internal;

import io.stratos.lxc.api.security.Role;
import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.artifact.ArtifactStatus;
import io.stratos.lxc.api.artifact.GitArtifactSpec;
import java.io.InputStream;
import io.stratos.lxc.api.controller.CartridgeProcess;
import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.controller.Subscription;
import io.stratos.lxc.api.controller.SubscriptionSpec;
import io.stratos.lxc.api.history.HistoryService;
import io.stratos.lxc.api.history.SubscriptionHistory;
import java.net.URI;
import java.util.List;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** Subscriptions, scaling and their processes: a tenant's own, or all of them for an admin. */
@Component(service = RestResource.class)
@Path("/subscriptions")
@Allowed({Role.TENANT})
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SubscriptionResource implements RestResource {

    /** {@code PUT /subscriptions/{alias}/scale} body. */
    public record ScaleRequest(Integer processes) {
    }

    @Reference
    CloudController controller;

    /** Optional: the subscriptions stay served while the history's bundle is away. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile HistoryService history;

    @Context
    SecurityContext security;

    @POST
    public Response subscribe(SubscriptionSpec spec) {
        Subscription subscription = controller().subscribe(CallerPrincipal.of(security).name(), spec);
        return Response.created(URI.create("subscriptions/" + subscription.alias())).entity(subscription).build();
    }

    @GET
    public List<Subscription> list() {
        return controller().subscriptions();
    }

    @GET
    @Path("{alias}")
    public Subscription get(@PathParam("alias") String alias) {
        return controller().subscription(alias);
    }

    @DELETE
    @Path("{alias}")
    public Response unsubscribe(@PathParam("alias") String alias) {
        controller().unsubscribe(alias);
        return Response.noContent().build();
    }

    @PUT
    @Path("{alias}/scale")
    public Subscription scale(@PathParam("alias") String alias, ScaleRequest request) {
        if (request == null || request.processes() == null) {
            throw StratosException.invalid("processes", "the number of processes is required", "send {\"processes\": 3}");
        }
        return controller().scale(alias, request.processes());
    }

    @GET
    @Path("{alias}/processes")
    public List<CartridgeProcess> processes(@PathParam("alias") String alias) {
        return controller().processes(alias);
    }

    /** The last {@code minutes} (1 to 60, default 60) of the subscription, sampled every few seconds. */
    @GET
    @Path("{alias}/history")
    public SubscriptionHistory history(@PathParam("alias") String alias, @QueryParam("minutes") String minutes) {
        int n = HistoryMinutes.parse(minutes);
        HistoryService service = HistoryMinutes.available(history);
        controller().subscription(alias); // NOT_FOUND for an unknown alias and for another tenant's
        return service.subscription(alias, n);
    }

    /** Deploys an uploaded application (tar, tar.gz or zip body) into the subscription: rolled out process by process. */
    @PUT
    @Path("{alias}/artifact")
    @Consumes(MediaType.WILDCARD)
    public Response deploy(@PathParam("alias") String alias, InputStream artifact) {
        try {
            return Response.accepted(controller().deployArtifact(alias, artifact)).build();
        } catch (StratosException e) {
            CartridgeResource.leaveBodyUnread(); // refused: the rest of the body is of no use
            throw e;
        }
    }

    /** Deploys a commit of a git repository ({"git": url, "ref": branch, tag or commit}), fetched by the controller. */
    @POST
    @Path("{alias}/artifact")
    public Response deployGit(@PathParam("alias") String alias, GitArtifactSpec git) {
        return Response.accepted(controller().deployArtifact(alias, git)).build();
    }

    /** A git webhook: fetches the ref again and rolls out if its commit changed. */
    @POST
    @Path("{alias}/artifact/refresh")
    public Response refresh(@PathParam("alias") String alias) {
        return Response.accepted(controller().refreshArtifact(alias)).build();
    }

    @GET
    @Path("{alias}/artifact")
    public ArtifactStatus artifact(@PathParam("alias") String alias) {
        return controller().artifact(alias);
    }

    /** The controller as this request's caller may see it: a tenant sees only its own subscriptions. */
    private CloudController controller() {
        return TenantScopedCloudController.of(controller, CallerPrincipal.of(security));
    }
}
