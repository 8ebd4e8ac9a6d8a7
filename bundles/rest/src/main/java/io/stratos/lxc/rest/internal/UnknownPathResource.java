package io.stratos.lxc.rest.internal;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import org.osgi.service.component.annotations.Component;

/**
 * Published at {@code /} under the servlet, it takes the requests no API's address matches (such as
 * {@code /stratos/etc/passwd} once {@code ..} is resolved), so that they get the API's JSON 404 rather than
 * the servlet's HTML "No service was found".
 */
@Component(service = RestResource.class)
@Path("/")
public class UnknownPathResource implements RestResource {

    @Override
    public String address() {
        return "/";
    }

    /** {@code GET /stratos/}: where the APIs are. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public ApiError root() {
        return new ApiError("nothing here", null, "the API is at /stratos/api/v1 (GET /stratos/api/v1/openapi.json describes it)");
    }
}
