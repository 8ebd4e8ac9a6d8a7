package io.stratos.lxc.controller.internal;

import io.stratos.lxc.api.iaas.IaasAdapter;
import io.stratos.lxc.api.iaas.VmRef;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sweeps every adapter for VMs it has that the controller does not know (leaked by a crash between the adapter's
 * creation and the controller's commit, or by an older controller's database) and destroys those still unknown after
 * {@code unknownVmGraceSeconds} (0: never). Without it such a VM ran unseen, held a local slot, or cost money on a cloud.
 * Runs on the reconciliation thread, at most every half grace period (1 s to 60 s).
 */
final class VmJanitor {

    private static final Logger LOG = LoggerFactory.getLogger(VmJanitor.class);

    private final Clock clock;
    private final Supplier<Collection<IaasAdapter>> adapters;
    /** The controller's VM ids, or null while its state is not loaded. */
    private final Supplier<Set<String>> knownVmIds;
    private final IntSupplier graceSeconds;
    /** Per adapter and VM id: when the VM was first seen unknown. */
    private final Map<String, Map<String, Long>> unknownSince = new HashMap<>();
    private final Set<String> listFailures = new HashSet<>();
    private long lastSweepMillis = Long.MIN_VALUE;

    VmJanitor(Clock clock, Supplier<Collection<IaasAdapter>> adapters, Supplier<Set<String>> knownVmIds, IntSupplier graceSeconds) {
        this.clock = clock;
        this.adapters = adapters;
        this.knownVmIds = knownVmIds;
        this.graceSeconds = graceSeconds;
    }

    /** Sweeps if one is due; returns the VMs destroyed. */
    synchronized List<VmRef> sweep() {
        long grace = TimeUnit.SECONDS.toMillis(graceSeconds.getAsInt());
        long now = clock.millis();
        if (grace <= 0 || (lastSweepMillis != Long.MIN_VALUE && now - lastSweepMillis < Math.max(1000, Math.min(60_000, grace / 2)))) {
            return List.of();
        }
        lastSweepMillis = now;
        List<VmRef> destroyed = new java.util.ArrayList<>();
        for (IaasAdapter adapter : adapters.get()) {
            List<VmRef> listed;
            try {
                listed = adapter.listVms();
                listFailures.remove(adapter.id());
            } catch (RuntimeException e) {
                if (listFailures.add(adapter.id())) {
                    LOG.warn("Adapter {} cannot list its VMs, so VMs the controller does not know are not swept: {}", adapter.id(), e.getMessage());
                }
                continue;
            }
            // read after listing: a VM the controller asked for before the listing is in it
            Set<String> known = knownVmIds.get();
            if (known == null) {
                return destroyed;
            }
            Map<String, Long> since = unknownSince.computeIfAbsent(adapter.id(), id -> new HashMap<>());
            Set<String> unknownNow = new HashSet<>();
            for (VmRef vm : listed) {
                if (known.contains(vm.vmId())) {
                    continue;
                }
                unknownNow.add(vm.vmId());
                long first = since.computeIfAbsent(vm.vmId(), id -> now);
                if (now - first < grace) {
                    continue;
                }
                LOG.warn("Adapter {} has VM {} ({}) that the controller does not know, for {} s (unknownVmGraceSeconds {}): destroying it",
                        adapter.id(), vm.vmId(), vm.adapterRef(), TimeUnit.MILLISECONDS.toSeconds(now - first), graceSeconds.getAsInt());
                try {
                    adapter.destroyVm(vm);
                    destroyed.add(vm);
                    unknownNow.remove(vm.vmId());
                } catch (RuntimeException e) {
                    LOG.warn("Adapter {} could not destroy unknown VM {}: {}; tried again next sweep", adapter.id(), vm.vmId(), e.getMessage());
                }
            }
            since.keySet().retainAll(unknownNow);
        }
        return destroyed;
    }
}
