package io.stratos.lxc.controller.internal;

import io.stratos.lxc.api.controller.VmState;
import io.stratos.lxc.controller.internal.Model.PartitionEntry;
import io.stratos.lxc.controller.internal.Model.VmEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Which LOST VMs are due for destruction: LOST for {@code lostVmDestroySeconds} (0: never) and replaced (their
 * partition has its target of live VMs without them) or no longer needed (their partition is gone). A silent agent's
 * VM may still run, and on a cloud cost money; as Cluster Autoscaler deletes unready nodes after a timeout.
 */
final class LostVms {

    private LostVms() {
    }

    static List<VmEntry> due(Collection<VmEntry> vms, Function<String, PartitionEntry> partitions,
                             ToIntFunction<PartitionEntry> liveVms, ToIntFunction<PartitionEntry> targetVms,
                             long now, long afterMillis) {
        List<VmEntry> due = new ArrayList<>();
        if (afterMillis <= 0) {
            return due;
        }
        Map<String, Boolean> replaced = new HashMap<>();
        for (VmEntry vm : vms) {
            if (vm.state != VmState.LOST || now - vm.lostSinceMillis < afterMillis || now < vm.nextDestroyMillis) {
                continue;
            }
            boolean done = replaced.computeIfAbsent(vm.partition, name -> {
                PartitionEntry partition = partitions.apply(name);
                return partition == null || liveVms.applyAsInt(partition) >= targetVms.applyAsInt(partition);
            });
            if (done) {
                due.add(vm);
            }
        }
        return due;
    }
}
