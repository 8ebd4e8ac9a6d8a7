package io.stratos.lxc.api.autoscaler;

import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Whiteboard service: a component that knows a metric of subscriptions registers one (the router
 * for {@code requestsInFlight}, an agent or cartridge integration for custom metrics). The autoscaler
 * asks every registered source; the first value present wins over what the controller collects from
 * the processes, except for {@code requestsInFlight}: each router knows only its own requests, so the values
 * of every source that knows it are added up.
 */
public interface MetricSource {

    /**
     * The metric's current value for a subscription, <b>per process</b> (averaged over its running
     * processes), comparable with a policy's target; empty when this source does not know it.
     */
    OptionalDouble value(String alias, String metric);

    /**
     * When this source last saw a request for the subscription (epoch millis), for scale to zero: a router knows,
     * other sources do not. The autoscaler takes the latest over every source.
     */
    default OptionalLong lastRequestMillis(String alias) {
        return OptionalLong.empty();
    }
}
