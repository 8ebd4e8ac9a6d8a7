package io.stratos.lxc.agent.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The keys of PID {@code io.stratos.lxc.agent}, described for Karaf's {@code config:} commands (metatype); the
 * descriptions are those of the commented {@code io.stratos.lxc.agent.cfg} the distribution ships, and a test keeps both
 * in step. The component reads the raw dictionary through {@link AgentSettings} (with the STRATOS_AGENT_* environment
 * laid on top), so that a bad value is reported with its key.
 */
@ObjectClassDefinition(name = "Stratos LXC agent",
        description = "Stratos LXC agent of one partition VM (PID io.stratos.lxc.agent). Every key can be overridden by an "
                + "environment variable STRATOS_AGENT_<KEY IN UPPER_SNAKE_CASE>, e.g. STRATOS_AGENT_JOIN_TOKEN: IaaS adapters "
                + "start the agent that way. Runtime settings (ports, network, dataDir, runtimes, image cache, publishAddress, "
                + "allowedSources) apply when the agent restarts.")
@interface AgentConfig {

    @AttributeDefinition(name = "controllerUrl", required = false,
            description = "Where the controller is (several, comma-separated, when controllers share one database); the agent "
                    + "calls in, the controller never calls the agent.")
    String controllerUrl() default "http://127.0.0.1:8181/stratos";

    @AttributeDefinition(name = "joinToken", required = false,
            description = "Token the VM was created with; the controller exchanges it for per-agent credentials.")
    String joinToken();

    @AttributeDefinition(name = "vmId", required = false,
            description = "This VM's id as the controller knows it (default: the host name).")
    String vmId();

    @AttributeDefinition(name = "partition", required = false, description = "This VM's partition (default: none).")
    String partition();

    @AttributeDefinition(name = "cpuMillis", required = false,
            description = "CPU offered to cartridge processes, in thousandths of a core (default: all cores).")
    int cpuMillis();

    @AttributeDefinition(name = "memoryMiB", required = false,
            description = "Memory offered to cartridge processes, in MiB (default: 1024).")
    int memoryMiB();

    @AttributeDefinition(name = "portRangeStart", required = false,
            description = "First host port published for cartridge processes, on publishAddress.")
    int portRangeStart() default 20000;

    @AttributeDefinition(name = "portRangeEnd", required = false,
            description = "Last host port published for cartridge processes, on publishAddress.")
    int portRangeEnd() default 20999;

    @AttributeDefinition(name = "publishAddress", required = false,
            description = "The IP address of this VM every published port binds, reported to the controller. Empty (the "
                    + "default): the local address of the VM's route to the controller.")
    String publishAddress();

    @AttributeDefinition(name = "allowedSources", required = false,
            description = "Who may connect to the published ports: IP addresses and CIDR ranges, comma-separated. Empty (the "
                    + "default): the controller's addresses and the ones it names when the agent registers (its routers).")
    String allowedSources();

    @AttributeDefinition(name = "runtimes", required = false,
            description = "Container runtimes this VM offers, in order of preference: lxc, docker. The docker runtime comes "
                    + "with the feature stratos-agent-docker, which the agent installs from its own repository when a docker "
                    + "process is wanted.")
    String runtimes() default "lxc,docker";

    @AttributeDefinition(name = "dataDir", required = false,
            description = "Image cache, container directories and state (default: ${karaf.data}/agent).")
    String dataDir();

    @AttributeDefinition(name = "imageCacheMiB", required = false,
            description = "Size limit of the image cache; unused images beyond it are evicted, least recently used first "
                    + "(default: 10240).")
    int imageCacheMiB();

    @AttributeDefinition(name = "network", required = false,
            description = "LXC networking: bridge (a network namespace per process on the agent's bridge, published by the "
                    + "agent) or host (the VM's network, no isolation). Default: bridge.")
    String network();

    @AttributeDefinition(name = "bridge", required = false, description = "The agent's bridge (default: stratosbr0).")
    String bridge();

    @AttributeDefinition(name = "bridgeSubnet", required = false,
            description = "Address range of the bridge (default: 10.213.0.0/16); it must not overlap the network the VMs are on.")
    String bridgeSubnet();

    @AttributeDefinition(name = "unprivileged", required = false,
            description = "User-namespace (unprivileged) LXC containers: auto (the default: wherever the VM can), true "
                    + "(insist), false (opt out).")
    String unprivileged();

    @AttributeDefinition(name = "dockerHost", required = false,
            description = "The Docker daemon of the docker runtime: this VM's own (default: unix:///var/run/docker.sock).")
    String dockerHost();
}
