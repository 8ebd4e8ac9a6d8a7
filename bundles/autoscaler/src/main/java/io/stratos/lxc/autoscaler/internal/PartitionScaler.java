package io.stratos.lxc.autoscaler.internal;

import io.stratos.lxc.api.controller.CartridgeProcess;
import io.stratos.lxc.api.controller.Partition;
import io.stratos.lxc.api.controller.PartitionVm;
import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.controller.VmState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Level 2 for one partition: how many VMs it should have.
 * <ul>
 * <li>Scale out: processes are PENDING because no VM has room. Their requests are packed (first fit,
 * largest first) into the free room of READY VMs and the whole room of VMs still being started; what
 * is left over asks for as many new VMs as it needs, within the partition's max.</li>
 * <li>Scale in: nothing pending, nothing starting or draining, and every READY VM stayed under the
 * utilisation threshold for the window: one VM fewer, never below min, and only if the processes of
 * the VM the controller would drain (the least allocated) fit on the others.</li>
 * </ul>
 * Decides the count only; {@code CloudController.scalePartition} does the draining.
 */
final class PartitionScaler {

    private final String partition;
    private long underUsedSince = Long.MIN_VALUE;

    PartitionScaler(String partition) {
        this.partition = partition;
    }

    String partition() {
        return partition;
    }

    /**
     * @param vms       the partition's VMs
     * @param processes the processes of its cartridge (PENDING ones carry the requests to place)
     */
    Outcome evaluate(long now, Partition p, List<PartitionVm> vms, List<CartridgeProcess> processes,
                     double scaleInUtilisation, long scaleInWindowMillis) {
        return evaluate(now, p, vms, () -> processes, scaleInUtilisation, scaleInWindowMillis);
    }

    /** The same, asking for the processes only when it needs them (pending ones to pack, or a VM to drain). */
    Outcome evaluate(long now, Partition p, List<PartitionVm> vms, java.util.function.Supplier<List<CartridgeProcess>> processes,
                     double scaleInUtilisation, long scaleInWindowMillis) {
        int current = p.desiredVms();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("pending", (double) p.pending());
        metrics.put("vms", (double) p.vms());
        metrics.put("readyVms", (double) p.readyVms());
        if (p.pending() > 0) {
            underUsedSince = Long.MIN_VALUE;
            return scaleOut(p, vms, processes.get(), current, metrics);
        }
        if (!"ACTIVE".equals(p.state())) {
            underUsedSince = Long.MIN_VALUE;
            return Outcome.hold(current, "adapter unavailable", metrics);
        }
        List<PartitionVm> ready = vms.stream().filter(vm -> vm.state() == VmState.READY).toList();
        boolean settling = vms.stream().anyMatch(vm -> vm.state() != VmState.READY && vm.state() != VmState.LOST);
        if (settling || ready.size() != current) {
            underUsedSince = Long.MIN_VALUE;
            return Outcome.hold(current, "VMs are starting or draining", metrics);
        }
        double busiest = ready.stream().mapToDouble(PartitionScaler::utilisation).max().orElse(0);
        metrics.put("utilisation", Math.round(busiest * 1000) / 1000.0);
        if (current <= p.minVms()) {
            underUsedSince = Long.MIN_VALUE;
            return Outcome.hold(current, "at the minimum of " + p.minVms() + " VMs", metrics);
        }
        if (busiest >= scaleInUtilisation) {
            underUsedSince = Long.MIN_VALUE;
            return Outcome.hold(current, "VMs in use", metrics);
        }
        if (underUsedSince == Long.MIN_VALUE) {
            underUsedSince = now;
        }
        if (now - underUsedSince < scaleInWindowMillis) {
            return Outcome.hold(current, "under-used for " + (now - underUsedSince) / 1000 + " s", metrics);
        }
        // The controller drains the least allocated VM; every VM tied for that place must be drainable.
        int least = ready.stream().mapToInt(PartitionScaler::weight).min().orElse(0);
        List<CartridgeProcess> all = processes.get();
        for (PartitionVm candidate : ready) {
            if (weight(candidate) != least) {
                continue;
            }
            List<Resources> moving = all.stream()
                    .filter(proc -> candidate.id().equals(proc.vmId()) && proc.state().holdsResources())
                    .map(CartridgeProcess::request).toList();
            List<Resources> room = new ArrayList<>();
            for (PartitionVm other : ready) {
                if (other != candidate) {
                    room.add(other.capacity().minus(other.allocated()));
                }
            }
            if (!pack(moving, room).isEmpty()) {
                return Outcome.hold(current, "under-used, but the processes of VM " + candidate.id()
                        + " would not fit on the other VMs", metrics);
            }
        }
        underUsedSince = now; // the next VM waits for a full window of its own
        return new Outcome(current, current - 1, String.format(Locale.ROOT,
                "every VM under %.0f %% allocated for %d s; the others can hold the processes of the least-used",
                scaleInUtilisation * 100, scaleInWindowMillis / 1000), metrics);
    }

    private Outcome scaleOut(Partition p, List<PartitionVm> vms, List<CartridgeProcess> processes, int current,
                             Map<String, Double> metrics) {
        Resources capacity = p.vmCapacity();
        metrics.put("shortfallCpuMillis", (double) p.shortfall().cpuMillis());
        metrics.put("shortfallMemoryMiB", (double) p.shortfall().memoryMiB());
        List<Resources> room = new ArrayList<>();
        int live = 0;
        for (PartitionVm vm : vms) {
            if (vm.state() == VmState.READY) {
                room.add(vm.capacity().minus(vm.allocated()));
                live++;
            } else if (vm.state() == VmState.REQUESTED || vm.state() == VmState.BOOTING) {
                room.add(vm.capacity() == null ? capacity : vm.capacity());
                live++;
            }
        }
        for (int i = live; i < current; i++) {
            room.add(capacity); // asked for, not created yet
        }
        List<Resources> pending = processes.stream().filter(proc -> proc.state() == ProcessState.PENDING)
                .map(CartridgeProcess::request).filter(r -> r != null).toList();
        int needed;
        int tooLarge = 0;
        if (pending.isEmpty()) {
            // Only the totals are known: ceil(shortfall / capacity), CPU or memory, whichever needs more,
            // less the VMs already on their way.
            Resources s = p.shortfall();
            int byCpu = (int) Math.ceil(s.cpuMillis() / (double) Math.max(1, capacity.cpuMillis()));
            int byMemory = (int) Math.ceil(s.memoryMiB() / (double) Math.max(1, capacity.memoryMiB()));
            long starting = vms.stream().filter(vm -> vm.state() == VmState.REQUESTED || vm.state() == VmState.BOOTING).count();
            needed = (int) Math.max(0, Math.max(byCpu, byMemory) - starting - Math.max(0, current - live));
        } else {
            List<Resources> placeable = new ArrayList<>();
            for (Resources request : pending) {
                if (capacity.fits(request)) {
                    placeable.add(request);
                } else {
                    tooLarge++;
                }
            }
            List<Resources> left = pack(placeable, room);
            List<Resources> newVms = new ArrayList<>();
            for (Resources request : left) {
                boolean placed = false;
                for (int i = 0; i < newVms.size() && !placed; i++) {
                    if (newVms.get(i).fits(request)) {
                        newVms.set(i, newVms.get(i).minus(request));
                        placed = true;
                    }
                }
                if (!placed) {
                    newVms.add(capacity.minus(request));
                }
            }
            needed = newVms.size();
        }
        metrics.put("vmsNeeded", (double) needed);
        String large = tooLarge == 0 ? "" : "; " + tooLarge + " request larger than a whole VM, no VM can help";
        if (needed == 0) {
            return Outcome.hold(current, p.pending() + " pending fit on VMs being started" + large, metrics);
        }
        int to = Math.min(p.maxVms(), current + needed);
        if (to <= current) {
            return Outcome.hold(current, p.pending() + " pending need " + needed + " more VMs, but the partition is at its maximum of "
                    + p.maxVms() + large, metrics);
        }
        String limited = to < current + needed ? " (limited by the maximum of " + p.maxVms() + ")" : "";
        return new Outcome(current, to, String.format(Locale.ROOT,
                "%d processes pending (%dm CPU, %d MiB) need %d more VMs of %dm/%d MiB%s%s", p.pending(),
                p.shortfall().cpuMillis(), p.shortfall().memoryMiB(), needed, capacity.cpuMillis(), capacity.memoryMiB(),
                limited, large), metrics);
    }

    /** First fit, largest first. Consumes {@code room}; returns the requests that did not fit. */
    static List<Resources> pack(List<Resources> requests, List<Resources> room) {
        List<Resources> sorted = new ArrayList<>(requests);
        sorted.sort(Comparator.comparingLong((Resources r) -> (long) r.cpuMillis() + r.memoryMiB()).reversed());
        List<Resources> left = new ArrayList<>();
        for (Resources request : sorted) {
            boolean placed = false;
            for (int i = 0; i < room.size() && !placed; i++) {
                if (room.get(i).fits(request)) {
                    room.set(i, room.get(i).minus(request));
                    placed = true;
                }
            }
            if (!placed) {
                left.add(request);
            }
        }
        return left;
    }

    /** The larger of the CPU and memory shares of a VM's capacity allocated to processes. */
    static double utilisation(PartitionVm vm) {
        Resources capacity = vm.capacity();
        Resources allocated = vm.allocated() == null ? Resources.ZERO : vm.allocated();
        double cpu = allocated.cpuMillis() / (double) Math.max(1, capacity.cpuMillis());
        double memory = allocated.memoryMiB() / (double) Math.max(1, capacity.memoryMiB());
        return Math.max(cpu, memory);
    }

    /** The controller's drain order among READY VMs: least allocated CPU + memory first. */
    private static int weight(PartitionVm vm) {
        Resources allocated = vm.allocated() == null ? Resources.ZERO : vm.allocated();
        return allocated.cpuMillis() + allocated.memoryMiB();
    }
}
