package io.stratos.lxc.agent.internal.lxc;

import io.stratos.lxc.agent.net.Subnet;

import java.nio.file.Path;

/**
 * How the LXC runtime runs containers.
 *
 * @param containersDir private lxcpath ({@code lxc-start -P}): one directory per container with its config,
 *                      overlay upper/work dirs, log and our metadata
 * @param network       {@code bridge}: own network namespace on the agent's bridge, published through the agent;
 *                      {@code host}: the VM's network, the process binds the publish address:$PORT itself (it gets them
 *                      as BIND_ADDRESS and PORT); no agent proxy, so no source filter either
 * @param bridge        bridge interface name (at most 15 characters)
 * @param subnet        the bridge's address range
 * @param unprivileged  user-namespace containers (not implemented yet: see LxcRuntime)
 */
public record LxcOptions(Path containersDir, Network network, String bridge, Subnet subnet, boolean unprivileged) {

    public enum Network { BRIDGE, HOST }
}
