package io.stratos.lxc.api.controller;

import java.util.Map;

/**
 * A tenant's instance of a cartridge under an alias unique in the controller.
 *
 * @param desiredProcesses how many processes it should have now (manual scale or the autoscaler)
 * @param processes        how many it has, per state
 * @param endpoint         where the router serves it
 */
public record Subscription(String alias, String tenant, String cartridge, String version, String digest, String policy,
                           int minProcesses, int maxProcesses, int desiredProcesses, Map<String, String> env,
                           Map<ProcessState, Integer> processes, String endpoint, String createdAt) {
}
