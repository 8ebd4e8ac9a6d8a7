package io.stratos.lxc.iaas.jclouds;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jclouds.compute.ComputeServiceContext;
import org.jclouds.compute.options.TemplateOptions;
import org.jclouds.docker.DockerApi;
import org.jclouds.docker.compute.options.DockerTemplateOptions;
import org.jclouds.docker.domain.Config;
import org.jclouds.docker.domain.Container;
import org.jclouds.docker.domain.ContainerSummary;
import org.jclouds.docker.domain.HostConfig;
import org.jclouds.docker.domain.ImageSummary;
import org.jclouds.docker.options.ListContainerOptions;
import org.jclouds.docker.options.RemoveContainerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What only the docker provider needs. Its "VM" is a container: user data is not run, so the agent gets
 * its settings as environment variables and a command that unpacks the mounted agent distribution and
 * starts it. On the host network it reaches the controller on 127.0.0.1 and publishes its processes' ports
 * there, so VMs get disjoint port ranges, and its cartridge containers are siblings (through the host's docker
 * socket), so destroying the VM removes them too. On a docker network of its own the VM container has its own
 * address, and (privileged) runs its processes itself with LXC, published on that address. Loaded only when the
 * provider is docker (the docker api is an optional import of this bundle).
 */
final class DockerVms {

    private static final Logger LOG = LoggerFactory.getLogger(DockerVms.class);
    /** The agent labels its containers with its VM id (see the agent's DockerRuntime). */
    static final String OWNER_LABEL = "io.stratos.lxc.owner";

    private final ComputeServiceContext context;
    private final JcloudsSettings settings;

    DockerVms(ComputeServiceContext context, JcloudsSettings settings) {
        this.context = context;
        this.settings = settings;
    }

    private DockerApi api() {
        return context.unwrapApi(DockerApi.class);
    }

    /**
     * The image's id for a {@code repository:tag} (or id): jclouds' docker adapter pulls any image named
     * otherwise than by its sha256 id, and VM images here are local (imported, never pulled).
     */
    String resolveImage(String imageIdOrName) {
        if (imageIdOrName.startsWith("sha256:")) {
            return imageIdOrName;
        }
        org.jclouds.docker.domain.Image image = api().getImageApi().inspectImage(imageIdOrName);
        if (image != null) {
            return image.id();
        }
        for (ImageSummary summary : api().getImageApi().listImages()) {
            if (summary.repoTags().contains(imageIdOrName) || summary.repoTags().contains(imageIdOrName + ":latest")) {
                return summary.id();
            }
        }
        throw new IllegalArgumentException("no docker image " + imageIdOrName + " on " + settings.endpoint());
    }

    /** The container's options: environment, agent command, network mode, mounts; privileges when asked for. */
    TemplateOptions options(TemplateOptions base, List<String> environment) {
        DockerTemplateOptions options = base.as(DockerTemplateOptions.class);
        List<String> env = new ArrayList<>(environment);
        env.add("STRATOS_AGENT_TARBALL=" + settings.agentTarball());
        if (needsContainerConfig(settings)) {
            options.configBuilder(containerConfig(settings, env));
            options.inboundPorts();
            return options;
        }
        options.env(env);
        options.commands("/bin/sh", "-c", settings.dockerCommand());
        options.networkMode(settings.networkMode());
        options.volumes(settings.volumes());
        // nothing to publish: no SSH, and on the host network ports cannot be published anyway
        options.inboundPorts();
        return options;
    }

    /** jclouds 2.1's template options carry no capabilities or security options: only a whole container config does. */
    static boolean needsContainerConfig(JcloudsSettings settings) {
        return settings.privileged() || !settings.capAdd().isEmpty() || !settings.capDrop().isEmpty() || !settings.securityOpt().isEmpty();
    }

    /**
     * The VM container's whole config (jclouds then takes nothing else from the options, and adds the image): what
     * {@link #options} sets otherwise, with the privileges LXC in the VM needs.
     */
    static Config.Builder containerConfig(JcloudsSettings settings, List<String> env) {
        List<String> binds = new ArrayList<>();
        settings.volumes().forEach((host, container) -> binds.add(host + ":" + container));
        return Config.builder()
                .env(env)
                .cmd(List.of("/bin/sh", "-c", settings.dockerCommand()))
                .hostConfig(HostConfig.builder()
                        .networkMode(settings.networkMode())
                        .binds(binds)
                        .privileged(settings.privileged())
                        .capAdd(settings.capAdd())
                        .capDrop(settings.capDrop())
                        .securityOpt(settings.securityOpt())
                        .build());
    }

    /** Host-network VMs share the host's ports: the first port range start no VM container of the group uses. */
    int freePortRangeStart() {
        if (!"host".equals(settings.networkMode())) {
            return settings.portRangeStart();
        }
        Set<Integer> used = new HashSet<>();
        for (ContainerSummary summary : api().getContainerApi().listContainers(ListContainerOptions.Builder.all(true))) {
            if (summary.names().stream().noneMatch(n -> n.startsWith("/" + settings.group() + "-"))) {
                continue;
            }
            Container container = api().getContainerApi().inspectContainer(summary.id());
            if (container == null || container.config() == null || container.config().env() == null) {
                continue;
            }
            for (String variable : container.config().env()) {
                if (variable.startsWith("STRATOS_AGENT_PORT_RANGE_START=")) {
                    try {
                        used.add(Integer.parseInt(variable.substring(variable.indexOf('=') + 1)));
                    } catch (NumberFormatException e) {
                        LOG.debug("ignoring {} of {}", variable, summary.id());
                    }
                }
            }
        }
        for (int slot = 0; slot < settings.maxVms(); slot++) {
            int start = settings.portRangeStart() + slot * settings.portsPerVm();
            if (start + settings.portsPerVm() - 1 > 65535) {
                break;
            }
            if (!used.contains(start)) {
                return start;
            }
        }
        throw new IllegalStateException("no free port range for another docker VM on the host network: " + used.size()
                + " ranges of " + settings.portsPerVm() + " ports from " + settings.portRangeStart() + " are in use");
    }

    /** Removes the cartridge containers the VM's agent started on the host's dockerd. */
    int removeAgentContainers(String vmId) {
        int removed = 0;
        for (ContainerSummary summary : api().getContainerApi().listContainers(new LabelFilter(OWNER_LABEL + "=" + vmId))) {
            try {
                api().getContainerApi().removeContainer(summary.id(), RemoveContainerOptions.Builder.force(true));
                removed++;
            } catch (RuntimeException e) {
                LOG.warn("Cannot remove container {} of VM {}: {}", summary.names(), vmId, e.getMessage());
            }
        }
        return removed;
    }

    /** {@code GET /containers/json?all=true&filters={"label":[...]}}; jclouds 2.1 has no filter option. */
    static final class LabelFilter extends ListContainerOptions {
        LabelFilter(String label) {
            all(true);
            queryParameters.put("filters", "{\"label\":[\"" + label.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]}");
        }
    }
}
