package io.stratos.lxc.router.internal;

import io.stratos.lxc.api.controller.CartridgeProcess;

/**
 * Where a process can be reached: the one place that turns a process into a network address.
 * Local VMs share this host and publish their processes on 127.0.0.1, so {@link #LOCAL} is all that is
 * needed today; for VMs on a real cloud, an implementation will look up the VM's address (from the
 * controller's {@code PartitionVm} or the agent's registration) instead.
 */
@FunctionalInterface
interface BackendResolver {

    /** The host (name or IP literal) to connect to for this process, or null if it cannot be reached. */
    String host(CartridgeProcess process);

    /** Processes published on 127.0.0.1 of this host (the local IaaS adapter's VMs). */
    BackendResolver LOCAL = process -> "127.0.0.1";
}
