package io.stratos.lxc.rest.internal;

/**
 * Marker for JAX-RS resources registered as DS services. {@link RestServer} publishes whatever
 * resources are registered, so a resource appears when the service it adapts is there.
 */
public interface RestResource {

    /** The user API; agents have their own, outside CXF ({@link AgentApiServlet}). */
    String API = "/api/v1";

    /** Where under CXF's servlet (/stratos) this resource is published. */
    default String address() {
        return API;
    }
}
