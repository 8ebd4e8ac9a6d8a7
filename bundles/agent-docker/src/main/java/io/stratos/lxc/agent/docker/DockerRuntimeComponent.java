package io.stratos.lxc.agent.docker;

import io.stratos.lxc.agent.runtime.ContainerRuntime;
import io.stratos.lxc.agent.runtime.RuntimeHost;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The Docker runtime of the optional feature stratos-agent-docker: built from what the agent shares
 * ({@link RuntimeHost}: dockerHost, VM id, bridge, publishing) and registered as a {@link ContainerRuntime} service, which
 * the agent's runtime whiteboard picks up when its runtimes setting offers docker. docker-java and its HTTP stack live
 * in this bundle only, so an LXC-only VM never loads them.
 */
@Component(immediate = true)
public class DockerRuntimeComponent {

    @Reference
    private RuntimeHost host;

    private DockerRuntime docker;
    private ServiceRegistration<ContainerRuntime> registration;

    @Activate
    void activate(BundleContext context) {
        docker = DockerRuntime.on(host);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("stratos.runtime", docker.name());
        registration = context.registerService(ContainerRuntime.class, docker, props);
    }

    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // the framework took it down already
        }
        docker.close();
    }
}
