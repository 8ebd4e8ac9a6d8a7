package io.stratos.lxc.api.controller;

import java.util.List;

/**
 * A subscription together with its processes, as seen at one moment.
 *
 * @param subscription the subscription
 * @param processes    its processes, in every state
 */
public record SubscriptionProcesses(Subscription subscription, List<CartridgeProcess> processes) {

    public SubscriptionProcesses {
        processes = List.copyOf(processes);
    }
}
