package io.stratos.lxc.autoscaler.history;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The keys of PID {@code io.stratos.lxc.history}, described for Karaf's {@code config:} commands and the web console (metatype);
 * the descriptions are those of the commented {@code io.stratos.lxc.history.cfg} the distribution ships, and a test keeps both in step.
 * The component still reads the raw dictionary through its settings parser, so that a bad value is reported with
 * its key and the last good settings stay, instead of being silently converted to a default.
 */
@ObjectClassDefinition(name = "Stratos LXC history",
        description = "Stratos LXC history (PID io.stratos.lxc.history): the last hour of every subscription (RUNNING processes, requests in flight, CPU, memory) and partition (VMs per state, allocated and free capacity), kept in memory for the console's charts, GET /stratos/api/v1/subscriptions/{alias}/history and /partitions/{name}/history, and stratos:subscription-history. Lost when the controller restarts. Changes apply at once; a new interval starts the history afresh. A value that cannot be read is logged with its key, the last good settings stay and `stratos:status` shows history UNCONFIGURED.")
@interface HistoryConfig {

    @AttributeDefinition(name = "intervalSeconds", required = false,
            description = "Seconds between samples (1 to 60). An hour of samples is kept: 720 at 5 s.")
    int intervalSeconds() default 5;

    @AttributeDefinition(name = "maxSubscriptions", required = false,
            description = "Subscriptions tracked at most (0 to 1000000); those beyond get no history (the first tracked keep theirs). Each costs 16 bytes a sample: 11.25 KiB at 5 s (56 KiB at 1 s), so 10,000 cost ~113 MiB of heap once an hour has been sampled. Raise -Xmx (bin/setenv) before raising this.")
    int maxSubscriptions() default 10000;

    @AttributeDefinition(name = "maxPartitions", required = false,
            description = "Partitions tracked at most (0 to 100000); each costs 44 bytes a sample: 31 KiB at 5 s.")
    int maxPartitions() default 1000;
}
