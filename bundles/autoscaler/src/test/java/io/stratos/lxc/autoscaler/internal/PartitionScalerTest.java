package io.stratos.lxc.autoscaler.internal;

import static io.stratos.lxc.testsupport.FakeCloudController.vm;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.api.controller.CartridgeProcess;
import io.stratos.lxc.api.controller.Partition;
import io.stratos.lxc.api.controller.PartitionVm;
import io.stratos.lxc.api.controller.ProcessMetrics;
import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.controller.VmState;
import io.stratos.lxc.testsupport.FakeCloudController;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartitionScalerTest {

    static final Resources CAPACITY = new Resources(2000, 2048);
    static final Resources REQUEST = new Resources(500, 512);
    static final double UTILISATION = 0.3;
    static final long WINDOW = 60_000;

    static Partition partition(int min, int max, int desired, int ready, int pending) {
        Resources shortfall = new Resources(REQUEST.cpuMillis() * pending, REQUEST.memoryMiB() * pending);
        return new Partition("php", "php", "local", min, max, CAPACITY, Map.of(), "ACTIVE", desired, ready, ready, pending,
                shortfall);
    }

    static List<CartridgeProcess> pending(int n) {
        List<CartridgeProcess> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(process("p" + i, null, ProcessState.PENDING));
        }
        return list;
    }

    static CartridgeProcess process(String id, String vmId, ProcessState state) {
        return new CartridgeProcess(id, "web", "php", "1", vmId, vmId == null ? null : "lxc", state, 0, "", REQUEST,
                ProcessMetrics.NONE);
    }

    static List<PartitionVm> readyVms(int n, Resources allocated) {
        List<PartitionVm> vms = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            vms.add(vm("vm-" + i, "php", VmState.READY, CAPACITY, allocated));
        }
        return vms;
    }

    @Test
    void pendingProcessesAskForEnoughVms() {
        // 2 full VMs, 9 pending processes of 500m/512MiB: 4 fit per VM, so 3 more VMs
        Outcome outcome = new PartitionScaler("php").evaluate(0, partition(1, 10, 2, 2, 9), readyVms(2, CAPACITY), pending(9),
                UTILISATION, WINDOW);
        assertThat(outcome.to()).isEqualTo(5);
        assertThat(outcome.reason()).contains("9 processes pending").contains("3 more VMs");
        assertThat(outcome.metrics()).containsEntry("pending", 9.0).containsEntry("vmsNeeded", 3.0);
    }

    @Test
    void scaleOutStaysWithinMax() {
        Outcome outcome = new PartitionScaler("php").evaluate(0, partition(1, 3, 2, 2, 9), readyVms(2, CAPACITY), pending(9),
                UTILISATION, WINDOW);
        assertThat(outcome.to()).isEqualTo(3);
        assertThat(outcome.reason()).contains("limited by the maximum of 3");
        Outcome atMax = new PartitionScaler("php").evaluate(0, partition(1, 2, 2, 2, 9), readyVms(2, CAPACITY), pending(9),
                UTILISATION, WINDOW);
        assertThat(atMax.changes()).isFalse();
        assertThat(atMax.reason()).contains("maximum");
    }

    @Test
    void vmsBeingStartedCountAsRoom() {
        // one VM already requested for the 3 pending: no more
        List<PartitionVm> vms = new ArrayList<>(readyVms(1, CAPACITY));
        vms.add(vm("vm-new", "php", VmState.BOOTING, CAPACITY, Resources.ZERO));
        Outcome outcome = new PartitionScaler("php").evaluate(0, partition(1, 10, 2, 1, 3), vms, pending(3), UTILISATION, WINDOW);
        assertThat(outcome.changes()).isFalse();
        // 6 pending: the booting VM takes 4, one more VM for the rest
        Outcome more = new PartitionScaler("php").evaluate(0, partition(1, 10, 2, 1, 6), vms, pending(6), UTILISATION, WINDOW);
        assertThat(more.to()).isEqualTo(3);
    }

    @Test
    void withoutTheProcessListTheShortfallDecides() {
        // 5 x 500m = 2500m over 2000m VMs: 2 VMs (memory 2560 MiB over 2048: 2 as well)
        Outcome outcome = new PartitionScaler("php").evaluate(0, partition(1, 10, 1, 1, 5), readyVms(1, CAPACITY), List.of(),
                UTILISATION, WINDOW);
        assertThat(outcome.to()).isEqualTo(3);
    }

    @Test
    void underUsedForTheWindowDrainsOneVm() {
        PartitionScaler scaler = new PartitionScaler("php");
        List<PartitionVm> vms = readyVms(3, REQUEST); // 25 % allocated each
        List<CartridgeProcess> procs = List.of(process("a", "vm-0", ProcessState.RUNNING), process("b", "vm-1", ProcessState.RUNNING),
                process("c", "vm-2", ProcessState.RUNNING));
        Partition p = partition(1, 5, 3, 3, 0);
        assertThat(scaler.evaluate(0, p, vms, procs, UTILISATION, WINDOW).changes()).isFalse();
        assertThat(scaler.evaluate(30_000, p, vms, procs, UTILISATION, WINDOW).changes()).isFalse();
        Outcome outcome = scaler.evaluate(60_000, p, vms, procs, UTILISATION, WINDOW);
        assertThat(outcome.to()).isEqualTo(2);
        assertThat(outcome.reason()).contains("under 30 %");
        assertThat(outcome.metrics()).containsEntry("utilisation", 0.25);
        // the next VM waits a full window of its own
        Partition two = partition(1, 5, 2, 2, 0);
        List<PartitionVm> left = readyVms(2, REQUEST);
        assertThat(scaler.evaluate(61_000, two, left, procs, UTILISATION, WINDOW).changes()).isFalse();
        assertThat(scaler.evaluate(120_000, two, left, procs, UTILISATION, WINDOW).to()).isEqualTo(1);
    }

    @Test
    void neverBelowMin() {
        PartitionScaler scaler = new PartitionScaler("php");
        Partition p = partition(2, 5, 2, 2, 0);
        for (long t = 0; t <= 300_000; t += 10_000) {
            assertThat(scaler.evaluate(t, p, readyVms(2, Resources.ZERO), List.of(), UTILISATION, WINDOW).changes()).isFalse();
        }
    }

    @Test
    void busyVmsOrPendingProcessesResetTheWindow() {
        PartitionScaler scaler = new PartitionScaler("php");
        Partition idle = partition(1, 5, 3, 3, 0);
        assertThat(scaler.evaluate(0, idle, readyVms(3, Resources.ZERO), List.of(), UTILISATION, WINDOW).changes()).isFalse();
        // one busy VM at 50 s resets the window
        List<PartitionVm> oneBusy = new ArrayList<>(readyVms(2, Resources.ZERO));
        oneBusy.add(vm("vm-busy", "php", VmState.READY, CAPACITY, new Resources(1000, 512)));
        assertThat(scaler.evaluate(50_000, idle, oneBusy, List.of(), UTILISATION, WINDOW).changes()).isFalse();
        assertThat(scaler.evaluate(70_000, idle, readyVms(3, Resources.ZERO), List.of(), UTILISATION, WINDOW).changes()).isFalse();
        // pending processes too: never scale in while something waits
        Partition pending = new Partition("php", "php", "local", 1, 3, CAPACITY, Map.of(), "ACTIVE", 3, 3, 3, 1,
                new Resources(4000, 512));
        assertThat(scaler.evaluate(100_000, pending, readyVms(3, Resources.ZERO), List.of(), UTILISATION, WINDOW).changes())
                .isFalse();
        assertThat(scaler.evaluate(150_000, idle, readyVms(3, Resources.ZERO), List.of(), UTILISATION, WINDOW).changes()).isFalse();
        assertThat(scaler.evaluate(210_000, idle, readyVms(3, Resources.ZERO), List.of(), UTILISATION, WINDOW).to()).isEqualTo(2);
    }

    @Test
    void neverDrainsAVmWhoseProcessesCannotMove() {
        // processes of 500m/600MiB; vm-1 (the least allocated) holds one, vm-0 two
        Resources large = new Resources(500, 600);
        List<CartridgeProcess> procs = List.of(
                new CartridgeProcess("a", "web", "php", "1", "vm-0", "lxc", ProcessState.RUNNING, 0, "", large, ProcessMetrics.NONE),
                new CartridgeProcess("b", "web", "php", "1", "vm-0", "lxc", ProcessState.RUNNING, 0, "", large, ProcessMetrics.NONE),
                new CartridgeProcess("c", "web", "php", "1", "vm-1", "lxc", ProcessState.RUNNING, 0, "", large, ProcessMetrics.NONE));
        Partition p = partition(1, 5, 2, 2, 0);
        // vm-0 has 848 MiB free: vm-1's process moves there, so vm-1 may go (threshold 90 % to start the window)
        List<PartitionVm> roomy = List.of(vm("vm-0", "php", VmState.READY, CAPACITY, new Resources(1000, 1200)),
                vm("vm-1", "php", VmState.READY, CAPACITY, new Resources(500, 600)));
        PartitionScaler scaler = new PartitionScaler("php");
        scaler.evaluate(0, p, roomy, procs, 0.9, WINDOW);
        assertThat(scaler.evaluate(60_000, p, roomy, procs, 0.9, WINDOW).to()).isEqualTo(1);
        // vm-0 has only 548 MiB free (something else holds memory there): vm-1 stays
        List<PartitionVm> full = List.of(vm("vm-0", "php", VmState.READY, CAPACITY, new Resources(1000, 1500)),
                vm("vm-1", "php", VmState.READY, CAPACITY, new Resources(500, 600)));
        PartitionScaler second = new PartitionScaler("php");
        second.evaluate(0, p, full, procs, 0.9, WINDOW);
        Outcome kept = second.evaluate(60_000, p, full, procs, 0.9, WINDOW);
        assertThat(kept.changes()).isFalse();
        assertThat(kept.reason()).contains("would not fit");
    }

    @Test
    void waitsWhileVmsStartOrDrain() {
        PartitionScaler scaler = new PartitionScaler("php");
        List<PartitionVm> vms = new ArrayList<>(readyVms(2, Resources.ZERO));
        vms.add(vm("vm-d", "php", VmState.DRAINING, CAPACITY, Resources.ZERO));
        Partition p = partition(1, 5, 2, 2, 0);
        for (long t = 0; t <= 200_000; t += 10_000) {
            assertThat(scaler.evaluate(t, p, vms, List.of(), UTILISATION, WINDOW).changes()).isFalse();
        }
    }
}
