package io.stratos.lxc.api.history;

import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.controller.VmState;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A partition's recent samples.
 *
 * @param partition       the partition's name
 * @param intervalSeconds seconds between samples
 * @param tracked         false when the controller keeps no history for it (not seen yet, or more partitions than
 *                        {@code maxPartitions} are tracked); then there are no samples
 * @param samples         oldest first
 */
public record PartitionHistory(String partition, int intervalSeconds, boolean tracked, List<Sample> samples) {

    public PartitionHistory {
        samples = List.copyOf(samples);
    }

    /**
     * One sample.
     *
     * @param t         epoch milliseconds
     * @param vms       all its VMs
     * @param states    its VMs per state (states without VMs left out)
     * @param allocated capacity allocated to processes, over all its VMs
     * @param free      capacity left on its READY VMs (where processes are placed)
     */
    public record Sample(long t, int vms, Map<VmState, Integer> states, Resources allocated, Resources free) {

        public Sample {
            // in the enum's order, as the API shows process states
            states = states.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(states));
        }
    }
}
