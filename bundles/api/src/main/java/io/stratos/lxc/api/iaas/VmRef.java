package io.stratos.lxc.api.iaas;

/** The adapter's handle on a VM it created: our VM id and the adapter's own reference. */
public record VmRef(String vmId, String adapterRef) {
}
