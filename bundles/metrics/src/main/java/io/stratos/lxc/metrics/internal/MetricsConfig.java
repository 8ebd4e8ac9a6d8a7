package io.stratos.lxc.metrics.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The keys of PID {@code io.stratos.lxc.metrics}, described for Karaf's {@code config:} commands and the web console (metatype);
 * the descriptions are those of the commented {@code io.stratos.lxc.metrics.cfg} the distribution ships, and a test keeps both in step.
 * The component still reads the raw dictionary through its settings parser, so that a bad value is reported with
 * its key and the last good settings stay, instead of being silently converted to a default.
 */
@ObjectClassDefinition(name = "Stratos LXC metrics endpoint",
        description = "Stratos LXC metrics endpoint GET /stratos/metrics (PID io.stratos.lxc.metrics). Changes apply at once.")
@interface MetricsConfig {

    @AttributeDefinition(name = "maxProcessSeries", required = false,
            description = "At most this many processes get series of their own (CPU, memory, memory limit, pids: four each), taking whole subscriptions by alias while they fit; stratos_metrics_truncated is 1 when some were left out. The counts per subscription, partition and VM are never capped. At 300,000 processes with no cap a scrape is 130 MB and about 4 CPU-seconds of the controller (docs/performance.md, \"Metrics scrape\").")
    int maxProcessSeries() default 10000;
}
