package io.stratos.lxc.autoscaler.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The keys of PID {@code io.stratos.lxc.autoscaler}, described for Karaf's {@code config:} commands and the web console (metatype);
 * the descriptions are those of the commented {@code io.stratos.lxc.autoscaler.cfg} the distribution ships, and a test keeps both in step.
 * The component still reads the raw dictionary through its settings parser, so that a bad value is reported with
 * its key and the last good settings stay, instead of being silently converted to a default.
 */
@ObjectClassDefinition(name = "Stratos LXC autoscaler",
        description = "Stratos LXC autoscaler (PID io.stratos.lxc.autoscaler). Changes apply at once. A value that cannot be read is logged with its key, the autoscaler keeps its last good settings and `stratos:status` shows it UNCONFIGURED until the value is fixed. Level 1 scales the processes of every subscription whose policy names an existing autoscale policy (stratos:policy-create, POST /stratos/api/v1/autoscale-policies); others keep their manual scale. Level 2 scales the VMs of every partition. Decisions: stratos:autoscale-decisions, GET /stratos/api/v1/autoscaler/decisions, JMX io.stratos.lxc:type=Autoscaler, and the log (INFO).")
@interface AutoscalerConfig {

    @AttributeDefinition(name = "enabled", required = false,
            description = "Off: nothing is scaled automatically (policies can still be managed).")
    boolean enabled() default true;

    @AttributeDefinition(name = "intervalMillis", required = false,
            description = "Milliseconds between evaluations (50 to 3600000). Prediction looks this far ahead.")
    int intervalMillis() default 1000;

    @AttributeDefinition(name = "decisionHistory", required = false,
            description = "Decisions kept in memory for the views.")
    int decisionHistory() default 1000;

    @AttributeDefinition(name = "metricWindowSeconds", required = false,
            description = "Seconds of metric samples averaged per metric (and fitted, for policies with predict = true).")
    int metricWindowSeconds() default 10;

    @AttributeDefinition(name = "vmScalingEnabled", required = false,
            description = "Off: partitions keep their manual VM count.")
    boolean vmScalingEnabled() default true;

    @AttributeDefinition(name = "vmScaleInUtilisation", required = false,
            description = "A VM is under-used while less than this fraction of its capacity (CPU or memory, the larger) is allocated to processes: 0.3 is 30 %.")
    double vmScaleInUtilisation() default 0.3;

    @AttributeDefinition(name = "vmScaleInWindowSeconds", required = false,
            description = "Seconds every VM of a partition must stay under-used before the least-used one is drained (one VM per window, never below the partition's minVms, never while processes are pending).")
    int vmScaleInWindowSeconds() default 120;

    @AttributeDefinition(name = "defaultScaleUpStep", required = false,
            description = "At most this many processes added / removed per decision.")
    int defaultScaleUpStep() default 4;

    @AttributeDefinition(name = "defaultScaleDownStep", required = false,
            description = "At most this many processes added / removed per decision.")
    int defaultScaleDownStep() default 1;

    @AttributeDefinition(name = "defaultScaleUpCooldownSeconds", required = false,
            description = "Seconds after a scale-up before the next scale-up.")
    int defaultScaleUpCooldownSeconds() default 15;

    @AttributeDefinition(name = "defaultScaleDownStabilizationSeconds", required = false,
            description = "Seconds of recommendations a scale-down must agree with (it goes only as low as the highest of them).")
    int defaultScaleDownStabilizationSeconds() default 60;

    @AttributeDefinition(name = "defaultTolerance", required = false,
            description = "No change while observed / target is within 1 +/- this (0 to 0.99).")
    double defaultTolerance() default 0.1;

    @AttributeDefinition(name = "defaultPredict", required = false,
            description = "Scale for the metric's trend one interval ahead instead of its window average.")
    boolean defaultPredict() default false;
}
