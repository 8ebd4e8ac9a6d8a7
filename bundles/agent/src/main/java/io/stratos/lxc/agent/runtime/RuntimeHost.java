package io.stratos.lxc.agent.runtime;

import io.stratos.lxc.agent.net.HostBridge;
import io.stratos.lxc.agent.net.Publishing;

/**
 * What the agent shares with the runtimes it does not build itself (the Docker runtime of the optional feature
 * {@code stratos-agent-docker}): a service the agent registers once it has built its bridge and publishing from its
 * settings. A runtime bundle builds its runtime from it and registers that as a {@link ContainerRuntime} service.
 */
public interface RuntimeHost {

    /** This VM's id: the owner label of the containers the agent runs. */
    String vmId();

    /** The agent's dockerHost setting: where this VM's dockerd listens. */
    String dockerHost();

    /** Reads the containers' cgroups (usage, limits). */
    CgroupReader cgroups();

    /** The agent's container bridge, shared by every runtime. */
    HostBridge bridge();

    /** Where and to whom containers' ports are published. */
    Publishing publishing();
}
