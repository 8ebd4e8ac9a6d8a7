package io.stratos.lxc.api.iaas;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Creates and destroys partition VMs on one IaaS. Adapters are DS services in their own bundles; the
 * controller finds them by {@link #id()}. Stopping or updating an adapter bundle must leave its VMs
 * running: the controller keeps their state and re-attaches when the adapter returns.
 */
public interface IaasAdapter {

    /** Stable id a partition names, e.g. {@code local}, {@code jclouds}. */
    String id();

    /** Starts a VM running the agent; returns once the VM is requested (the agent registers later). */
    VmRef createVm(VmSpec spec);

    void destroyVm(VmRef vm);

    /**
     * VMs this adapter knows to exist, running or not, for re-attachment after restarts; the controller also
     * destroys those of them it does not know (leaked by a crash or a race) after a grace period.
     */
    List<VmRef> listVms();

    /**
     * Hands a new join token (an operator's rejoin) to the VM's agent, where this adapter can reach into the VM;
     * false where it cannot (then the operator hands it over).
     */
    default boolean handOverJoinToken(VmRef vm, String joinToken) {
        return false;
    }

    /**
     * Whether this adapter's VMs are processes on the controller's own host that publish on its loopback address (the
     * local adapter with {@code network = host}, the hollow fleet): only their agents may report a loopback address,
     * which from anywhere else would point the routers at their own host.
     */
    default boolean vmsShareHostLoopback() {
        return false;
    }

    /**
     * The network (CIDR) this adapter gives its VMs their addresses in, when it knows one (the local adapter's bridge
     * subnet): an agent reporting an address outside it is refused. A partition's template key {@code network} does
     * the same for any adapter.
     */
    default Optional<String> vmNetwork() {
        return Optional.empty();
    }

    /** The most VMs this adapter can ever give at once (the local adapter's slots), or empty when it has no such limit. */
    default OptionalInt maxVms() {
        return OptionalInt.empty();
    }
}
