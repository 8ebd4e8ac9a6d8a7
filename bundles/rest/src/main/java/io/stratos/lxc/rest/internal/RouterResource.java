package io.stratos.lxc.rest.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.router.AliasTraffic;
import io.stratos.lxc.api.router.RouterMetrics;
import io.stratos.lxc.api.router.RouterStats;
import java.util.regex.Pattern;
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

    /** A subscription alias, as the description's {@code alias} parameter says (a DNS label). */
    static final Pattern ALIAS = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    @Reference
    RouterMetrics router;

    @GET
    public RouterStats stats() {
        return router.stats();
    }

    @GET
    @Path("{alias}")
    public AliasTraffic alias(@PathParam("alias") String alias) {
        // No alias breaks the pattern: answering zeros for one would say it could exist.
        if (alias == null || !ALIAS.matcher(alias).matches()) {
            throw StratosException.invalid("alias", "'" + shown(alias) + "' is not a subscription alias",
                    "an alias is 1 to 63 lower-case letters, digits and '-', starting and ending with a letter or digit");
        }
        return router.traffic(alias);
    }

    private static String shown(String alias) {
        String value = String.valueOf(alias).replaceAll("\\p{Cntrl}", "?");
        return value.length() > 64 ? value.substring(0, 64) + "..." : value;
    }
}
