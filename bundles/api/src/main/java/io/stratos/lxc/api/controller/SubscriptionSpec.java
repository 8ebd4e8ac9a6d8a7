package io.stratos.lxc.api.controller;

import java.util.Map;

/**
 * A request to subscribe to a cartridge under an alias. Null fields take defaults: the cartridge's
 * {@code latest} version, 1 to 1 processes... (see {@link CloudController#subscribe}).
 *
 * @param tenant who the subscription is for, when an admin subscribes on a tenant's behalf; null: the caller. A tenant
 *               may only name itself.
 */
public record SubscriptionSpec(String alias, String cartridge, String version, String policy, Integer minProcesses,
                               Integer maxProcesses, Map<String, String> env, String tenant) {

    public SubscriptionSpec(String alias, String cartridge, String version, String policy, Integer minProcesses,
                            Integer maxProcesses, Map<String, String> env) {
        this(alias, cartridge, version, policy, minProcesses, maxProcesses, env, null);
    }
}
