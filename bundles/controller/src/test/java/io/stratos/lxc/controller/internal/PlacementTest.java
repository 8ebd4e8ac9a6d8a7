package io.stratos.lxc.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.controller.VmState;
import io.stratos.lxc.controller.internal.Model.VmEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PlacementTest {

    /** VMs of two partitions, some not READY, some without the runtime, of varied capacity and load. */
    static List<VmEntry> fleet(Random random, int n) {
        List<VmEntry> vms = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            VmState state = random.nextInt(10) == 0 ? VmState.BOOTING : VmState.READY;
            VmEntry vm = new VmEntry(String.format("vm-%04d", random.nextInt(10_000)) + "-" + i, random.nextInt(8) == 0 ? "other" : "web",
                    "local", "token", state, new Resources(1000 + 500 * random.nextInt(4), 512 + 256 * random.nextInt(4)));
            vm.runtimes = random.nextInt(12) == 0 ? List.of("docker") : List.of("lxc", "docker");
            vm.allocated = new Resources(100 * random.nextInt(10), 32 * random.nextInt(16));
            vms.add(vm);
        }
        vms.sort((a, b) -> a.id.compareTo(b.id)); // as the controller keeps them (by id)
        return vms;
    }

    @Test
    void aBatchOfOneSubscriptionsProcessesLandsWhereOneDecisionAtATimeWouldPutThem() {
        for (int seed = 0; seed < 50; seed++) {
            Random random = new Random(seed);
            int n = 1 + random.nextInt(60);
            Resources request = new Resources(100 * (1 + random.nextInt(3)), 32 * (1 + random.nextInt(3)));
            List<String> runtimes = List.of("lxc");
            List<VmEntry> one = fleet(new Random(seed), n);
            List<VmEntry> batched = fleet(new Random(seed), n);
            Map<String, Integer> spreadOne = new HashMap<>();
            Map<String, Integer> spreadBatched = new HashMap<>();
            for (VmEntry vm : one) {
                if (random.nextInt(4) == 0) {
                    int count = 1 + random.nextInt(3);
                    spreadOne.put(vm.id, count);
                    spreadBatched.put(vm.id, count);
                }
            }
            Placement.Batch batch = new Placement.Batch(batched, "web", request, runtimes, vm -> spreadBatched.getOrDefault(vm.id, 0));
            int processes = 1 + random.nextInt(3 * n + 5);
            for (int p = 0; p < processes; p++) {
                VmEntry expected = Placement.choose(one, "web", request, runtimes, vm -> spreadOne.getOrDefault(vm.id, 0));
                VmEntry got = batch.next();
                assertThat(got == null ? null : got.id).as("seed %d, process %d", seed, p).isEqualTo(expected == null ? null : expected.id);
                if (expected == null) {
                    break;
                }
                expected.allocated = expected.allocated.plus(request);
                spreadOne.merge(expected.id, 1, Integer::sum);
                got.allocated = got.allocated.plus(request);
                spreadBatched.merge(got.id, 1, Integer::sum);
                batch.placed(got);
            }
        }
    }
}
