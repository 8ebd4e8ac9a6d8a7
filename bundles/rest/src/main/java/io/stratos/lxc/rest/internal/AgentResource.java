package io.stratos.lxc.rest.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.agent.AgentCredentials;
import io.stratos.lxc.api.agent.AgentRegistration;
import io.stratos.lxc.api.agent.AgentRegistry;
import io.stratos.lxc.api.agent.AgentReport;
import io.stratos.lxc.api.agent.DesiredState;
import java.util.concurrent.CompletionException;
import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.container.AsyncResponse;
import javax.ws.rs.container.Suspended;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The agent protocol ({@code /stratos/agent/v1}): register with the join token, then long-poll the
 * desired state and post status with {@code Authorization: Bearer <secret>}.
 */
@Component(service = RestResource.class)
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AgentResource implements RestResource {

    @Reference
    AgentRegistry registry;

    @Override
    public String address() {
        return AGENT_API;
    }

    @POST
    @Path("register")
    public AgentCredentials register(AgentRegistration registration) {
        return registry.register(registration);
    }

    /**
     * Suspended, not blocking: the request gives its thread back while the poll waits, so thousands of agents
     * waiting for a change hold connections, not the web server's 200 threads (which a blocking poll per agent
     * exhausted at a few hundred agents, and then status reports queued until agents counted as lost).
     */
    @GET
    @Path("agents/{id}/desired")
    public void desired(@PathParam("id") String id, @QueryParam("since") long since,
                        @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Suspended AsyncResponse response) {
        java.util.concurrent.CompletionStage<DesiredState> poll;
        try {
            poll = registry.desiredState(id, secret(authorization), since);
        } catch (RuntimeException e) {
            // thrown from a suspended method, it would leave the request hanging: answer it through the mappers
            response.resume(e);
            return;
        }
        poll.whenComplete((state, failure) -> {
            if (failure == null) {
                response.resume(Response.ok(state).header(HttpHeaders.DATE, HttpDate.now()).build());
            } else {
                response.resume(failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure);
            }
        });
    }

    @POST
    @Path("agents/{id}/status")
    public Response status(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                           AgentReport report) {
        if (report == null) {
            throw StratosException.invalid(null, "a status report needs a JSON body", null);
        }
        registry.report(id, secret(authorization), report);
        return Response.noContent().header(HttpHeaders.DATE, HttpDate.now()).build();
    }

    private static String secret(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            throw StratosException.notFound("unknown agent or wrong credentials", "send Authorization: Bearer <secret>");
        }
        return authorization.substring("Bearer ".length()).trim();
    }
}
