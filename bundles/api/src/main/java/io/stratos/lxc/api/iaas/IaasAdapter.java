package io.stratos.lxc.api.iaas;

import java.util.List;

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

    /** VMs this adapter knows to exist, for re-attachment after restarts. */
    List<VmRef> listVms();

    /**
     * Hands a new join token (an operator's rejoin) to the VM's agent, where this adapter can reach into the VM;
     * false where it cannot (then the operator hands it over).
     */
    default boolean handOverJoinToken(VmRef vm, String joinToken) {
        return false;
    }
}
