package io.stratos.lxc.api.controller;

/**
 * The answer to an operator's rejoin of a VM whose agent lost its secret: a new join token (the old token and
 * secret no longer work). The VM's adapter hands it to the VM where it can ({@code handedToVm}); otherwise the
 * operator does, as {@code hint} says.
 */
public record VmRejoin(String vmId, String joinToken, boolean handedToVm, String hint) {

    @Override
    public String toString() {
        return "VmRejoin[vmId=" + vmId + ", handedToVm=" + handedToVm + "]";
    }
}
