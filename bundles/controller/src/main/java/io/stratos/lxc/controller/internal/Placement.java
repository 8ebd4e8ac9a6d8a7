package io.stratos.lxc.controller.internal;

import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.controller.VmState;
import io.stratos.lxc.controller.internal.Model.VmEntry;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.ToIntFunction;

/** The placement rule, on its own so it can be tested and benchmarked. */
final class Placement {

    private Placement() {
    }

    /**
     * The VM for one process: READY, of the partition, offering one of the cartridge's runtimes, with
     * room for the request. Among those, fewest processes of the same subscription first (spread),
     * then the least free capacity (bin-packing, so under-used VMs can be drained and scaled in).
     */
    static VmEntry choose(Collection<VmEntry> vms, String partition, Resources request, List<String> runtimes,
                          ToIntFunction<VmEntry> sameSubscriptionCount) {
        VmEntry best = null;
        int bestSame = Integer.MAX_VALUE;
        long bestFree = Long.MAX_VALUE;
        for (VmEntry vm : vms) {
            if (vm.state != VmState.READY || !vm.partition.equals(partition)) {
                continue;
            }
            // Hot path (every decision looks at every VM of the partition): no allocation here.
            int freeCpu = vm.capacity.cpuMillis() - vm.allocated.cpuMillis();
            int freeMemory = vm.capacity.memoryMiB() - vm.allocated.memoryMiB();
            if (freeCpu < request.cpuMillis() || freeMemory < request.memoryMiB()) {
                continue;
            }
            int same = sameSubscriptionCount.applyAsInt(vm);
            // Normalise to per-mille of capacity so CPU and memory weigh the same.
            long freeScore = 1000L * freeCpu / Math.max(1, vm.capacity.cpuMillis())
                    + 1000L * freeMemory / Math.max(1, vm.capacity.memoryMiB());
            if ((same < bestSame || (same == bestSame && freeScore < bestFree)) && runtimeFor(vm, runtimes) != null) {
                best = vm;
                bestSame = same;
                bestFree = freeScore;
            }
        }
        return best;
    }

    /** The first runtime of the VM that the cartridge supports (the VM's order is its preference). */
    static String runtimeFor(VmEntry vm, List<String> cartridgeRuntimes) {
        for (String runtime : vm.runtimes) {
            if (cartridgeRuntimes.isEmpty() || cartridgeRuntimes.contains(runtime)) {
                return runtime;
            }
        }
        return null;
    }

    /**
     * The same choices as {@link #choose} for many processes of one subscription in a row, without looking at
     * every VM for each: the eligible VMs are ordered once by (processes of the subscription, free capacity, id),
     * then each decision takes the first and puts it back with its new key. Only valid while nothing but these
     * placements changes the VMs (one pass of placement, one subscription).
     */
    static final class Batch {

        private record Candidate(VmEntry vm, int same, long free) {
        }

        private static final Comparator<Candidate> ORDER = Comparator.comparingInt(Candidate::same)
                .thenComparingLong(Candidate::free).thenComparing(c -> c.vm.id);

        private final PriorityQueue<Candidate> queue;
        private final Resources request;
        private final ToIntFunction<VmEntry> sameSubscriptionCount;

        Batch(Collection<VmEntry> vms, String partition, Resources request, List<String> runtimes,
              ToIntFunction<VmEntry> sameSubscriptionCount) {
            this.request = request;
            this.sameSubscriptionCount = sameSubscriptionCount;
            this.queue = new PriorityQueue<>(Math.max(1, vms.size()), ORDER);
            for (VmEntry vm : vms) {
                if (vm.state == VmState.READY && vm.partition.equals(partition) && fits(vm, request)
                        && runtimeFor(vm, runtimes) != null) {
                    queue.add(candidate(vm));
                }
            }
        }

        /** The VM for the next process, or null when none has room; follow with {@link #placed} once allocated. */
        VmEntry next() {
            Candidate best = queue.poll();
            return best == null ? null : best.vm;
        }

        /** The process is allocated on {@code vm} (from {@link #next}): it competes again with its new load. */
        void placed(VmEntry vm) {
            if (fits(vm, request)) {
                queue.add(candidate(vm));
            }
        }

        private Candidate candidate(VmEntry vm) {
            return new Candidate(vm, sameSubscriptionCount.applyAsInt(vm), freeScore(vm));
        }
    }

    private static boolean fits(VmEntry vm, Resources request) {
        return vm.capacity.cpuMillis() - vm.allocated.cpuMillis() >= request.cpuMillis()
                && vm.capacity.memoryMiB() - vm.allocated.memoryMiB() >= request.memoryMiB();
    }

    private static long freeScore(VmEntry vm) {
        int freeCpu = vm.capacity.cpuMillis() - vm.allocated.cpuMillis();
        int freeMemory = vm.capacity.memoryMiB() - vm.allocated.memoryMiB();
        return 1000L * freeCpu / Math.max(1, vm.capacity.cpuMillis()) + 1000L * freeMemory / Math.max(1, vm.capacity.memoryMiB());
    }
}
