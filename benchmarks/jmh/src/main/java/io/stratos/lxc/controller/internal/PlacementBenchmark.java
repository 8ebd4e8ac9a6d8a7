package io.stratos.lxc.controller.internal;

import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.controller.VmState;
import io.stratos.lxc.controller.internal.Model.VmEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One placement decision ({@link Placement#choose}) in a partition of N READY VMs that already hold 30
 * processes each, exactly as {@code ProcessScheduler.placePending} calls it (spread counts from a per-pass
 * map). The baseline is the plainest best fit over the same VMs (least free memory among those with
 * room, no spread, no runtimes): what any bin-packing placement must at least do.
 * {@code placementBatch}: what {@code placePending} does since the fleet benchmark's profile, 1,000 processes of
 * one subscription through {@link Placement.Batch} (the same choices), per decision.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PlacementBenchmark {

    @Param({"1000", "10000"})
    int vms;

    List<VmEntry> entries;
    Map<String, Integer> spread;
    final Resources request = new Resources(100, 64);
    final List<String> runtimes = List.of("lxc", "docker");

    @Setup(Level.Trial)
    public void setUp() {
        Random random = new Random(42);
        entries = new ArrayList<>(vms);
        spread = new HashMap<>();
        for (int i = 0; i < vms; i++) {
            VmEntry vm = new VmEntry("vm-" + i, "web", "local", "token", VmState.READY, new Resources(8000, 16384));
            vm.runtimes = runtimes;
            // 30 processes of 100m/64MiB, plus some noise so VMs differ in how full they are
            vm.allocated = new Resources(3000 + random.nextInt(2000), 1920 + random.nextInt(4000));
            entries.add(vm);
            if (random.nextInt(10) == 0) {
                spread.put(vm.id, 1 + random.nextInt(3));
            }
        }
    }

    Resources[] initial;

    @Setup(Level.Invocation)
    public void resetAllocations() {
        if (initial == null) {
            initial = entries.stream().map(vm -> vm.allocated).toArray(Resources[]::new);
        }
        for (int i = 0; i < initial.length; i++) {
            entries.get(i).allocated = initial[i];
        }
    }

    @Benchmark
    @OperationsPerInvocation(1000)
    public VmEntry placementBatch() {
        Map<String, Integer> perVm = new HashMap<>(spread);
        Placement.Batch batch = new Placement.Batch(entries, "web", request, runtimes, vm -> perVm.getOrDefault(vm.id, 0));
        VmEntry last = null;
        for (int i = 0; i < 1000; i++) {
            last = batch.next();
            last.allocated = last.allocated.plus(request);
            perVm.merge(last.id, 1, Integer::sum);
            batch.placed(last);
        }
        return last;
    }

    @Benchmark
    public VmEntry placement() {
        return Placement.choose(entries, "web", request, runtimes, vm -> spread.getOrDefault(vm.id, 0));
    }

    @Benchmark
    public VmEntry baselineBestFit() {
        VmEntry best = null;
        int bestFree = Integer.MAX_VALUE;
        for (VmEntry vm : entries) {
            int free = vm.capacity.memoryMiB() - vm.allocated.memoryMiB();
            if (free >= request.memoryMiB() && vm.capacity.cpuMillis() - vm.allocated.cpuMillis() >= request.cpuMillis()
                    && free < bestFree) {
                best = vm;
                bestFree = free;
            }
        }
        return best;
    }
}
