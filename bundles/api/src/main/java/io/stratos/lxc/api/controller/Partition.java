package io.stratos.lxc.api.controller;

import java.util.Map;

/**
 * A partition: one cartridge type, served by VMs of one IaaS adapter.
 *
 * @param state       {@code ACTIVE}, or {@code ADAPTER_UNAVAILABLE} while its adapter bundle is away
 *                    (its VMs keep running; VM requests wait)
 * @param desiredVms  VMs it should have now (manual scale or the autoscaler), within min and max
 * @param readyVms    VMs whose agent has registered and is alive
 * @param pending     processes of its cartridge that no VM has room for
 * @param shortfall   what those pending processes need in total (level 2 of the autoscaler acts on it)
 */
public record Partition(String name, String cartridge, String adapter, int minVms, int maxVms, Resources vmCapacity,
                        Map<String, String> template, String state, int desiredVms, int vms, int readyVms, int pending,
                        Resources shortfall) {
}
