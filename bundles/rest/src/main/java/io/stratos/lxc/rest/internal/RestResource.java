package io.stratos.lxc.rest.internal;

/**
 * Marker for JAX-RS resources registered as DS services. {@link RestServer} publishes whatever
 * resources are registered, so a resource appears when the service it adapts is there.
 */
public interface RestResource {
}
