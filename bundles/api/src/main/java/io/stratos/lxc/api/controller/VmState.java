package io.stratos.lxc.api.controller;

/** Life of a partition VM. */
public enum VmState {
    /** Asked for; waiting for the adapter (or for the adapter to come back). */
    REQUESTED,
    /** Created by the adapter; its agent has not registered yet. */
    BOOTING,
    /** Its agent registered and reports in. Only READY VMs get processes. */
    READY,
    /**
     * Its agent reports in, but reports a problem that keeps it from running processes (its publish address cannot be
     * bound, ...; the VM's detail says which): it gets no new processes, and is READY again once the problem is gone.
     */
    DEGRADED,
    /** Its agent has been silent longer than the grace period; its processes were re-placed. */
    LOST,
    /** Being emptied before destruction. */
    DRAINING,
    /** Being destroyed by the adapter. */
    TERMINATING
}
