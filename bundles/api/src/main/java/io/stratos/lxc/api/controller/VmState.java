package io.stratos.lxc.api.controller;

/** Life of a partition VM. */
public enum VmState {
    /** Asked for; waiting for the adapter (or for the adapter to come back). */
    REQUESTED,
    /** Created by the adapter; its agent has not registered yet. */
    BOOTING,
    /** Its agent registered and reports in. Only READY VMs get processes. */
    READY,
    /** Its agent has been silent longer than the grace period; its processes were re-placed. */
    LOST,
    /** Being emptied before destruction. */
    DRAINING,
    /** Being destroyed by the adapter. */
    TERMINATING
}
