package io.stratos.lxc.rest.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.artifact.ArtifactStore;
import io.stratos.lxc.api.security.Role;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code GET /artifacts/sha256:<hex>}: an application artifact's normalised tarball by digest, for agents (which
 * place it into each process of the subscription) and admins; served like images (ETag, Range).
 */
@Component(service = RestResource.class)
@Path("/artifacts")
public class ArtifactResource implements RestResource {

    @Reference
    ArtifactStore store;

    @Allowed({Role.AGENT})
    @GET
    @Path("/{digest}")
    @Produces({MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON})
    public Response download(@PathParam("digest") String digest, @HeaderParam("Range") String range,
                             @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
                             @HeaderParam("If-Range") String ifRange) {
        return ImageResource.serve(store.open(digest).orElseThrow(() -> StratosException.notFound("no artifact " + digest,
                "see GET /subscriptions/{alias}/artifact for a subscription's artifact digests")), range, ifNoneMatch, ifRange);
    }
}
