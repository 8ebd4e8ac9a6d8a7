package io.stratos.lxc.api.controller;

import java.util.Map;

/**
 * A request to subscribe to a cartridge under an alias. Null fields take defaults: the cartridge's
 * {@code latest} version, 1 to 1 processes... (see {@link CloudController#subscribe}).
 */
public record SubscriptionSpec(String alias, String cartridge, String version, String policy, Integer minProcesses,
                               Integer maxProcesses, Map<String, String> env) {
}
