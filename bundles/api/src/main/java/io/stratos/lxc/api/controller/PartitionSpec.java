package io.stratos.lxc.api.controller;

import java.util.Map;

/**
 * What a user asks for when creating a partition: where one cartridge type runs.
 * Null fields take defaults (adapter {@code local}, 1 to 1 VMs, the adapter's default capacity).
 */
public record PartitionSpec(String name, String cartridge, String adapter, Integer minVms, Integer maxVms,
                            Resources vmCapacity, Map<String, String> template) {
}
