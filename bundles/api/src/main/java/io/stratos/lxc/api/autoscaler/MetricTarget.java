package io.stratos.lxc.api.autoscaler;

/**
 * What a policy aims at for one metric: the value per process that the autoscaler keeps the
 * subscription at, e.g. {@code {"target": 60}} for 60 % CPU of each process's request.
 */
public record MetricTarget(Double target) {
}
