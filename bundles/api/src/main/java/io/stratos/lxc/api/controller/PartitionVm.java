package io.stratos.lxc.api.controller;

import java.util.List;

/**
 * A VM of a partition, as the controller sees it.
 *
 * @param adapterRef    the adapter's own id for it (instance id, pid, container id), null until created
 * @param lastHeartbeat ISO-8601 instant of the agent's last report, null before it registered
 * @param agentVersion  the version its agent registered with, null before that
 * @param cachedImages  digests of the images in its agent's cache, as last reported
 * @param address       the VM's address on its partition's network, where its processes are published; null until
 *                      its agent registered
 */
public record PartitionVm(String id, String partition, String adapter, String adapterRef, VmState state,
                          Resources capacity, Resources allocated, int processes, List<String> runtimes,
                          String agentId, String lastHeartbeat, String detail, String agentVersion, List<String> cachedImages,
                          String address) {

    public PartitionVm(String id, String partition, String adapter, String adapterRef, VmState state,
                       Resources capacity, Resources allocated, int processes, List<String> runtimes,
                       String agentId, String lastHeartbeat, String detail, String agentVersion, List<String> cachedImages) {
        this(id, partition, adapter, adapterRef, state, capacity, allocated, processes, runtimes, agentId, lastHeartbeat,
                detail, agentVersion, cachedImages, null);
    }
}
