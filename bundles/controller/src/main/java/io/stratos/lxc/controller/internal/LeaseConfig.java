package io.stratos.lxc.controller.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The keys of PID {@code io.stratos.lxc.ha}, described for Karaf's {@code config:} commands and the web console (metatype);
 * the descriptions are those of the commented {@code io.stratos.lxc.ha.cfg} the distribution ships, and a test keeps both in
 * step. The component reads the raw dictionary through {@link LeaseSettings}, so that a bad value is reported with its key.
 */
@ObjectClassDefinition(name = "Stratos LXC controllers sharing one database",
        description = "Stratos LXC leader lease (PID io.stratos.lxc.ha): which of the controllers sharing one database is active. "
                + "A change applies at once: a new name, URL or lease length releases the lease and competes for it again.")
@interface LeaseConfig {

    @AttributeDefinition(name = "nodeName", required = false,
            description = "This controller's name in the lease. Empty: <host name>:<HTTP port>. Two controllers must not share a name.")
    String nodeName() default "";

    @AttributeDefinition(name = "url", required = false,
            description = "Where this controller's REST API answers, as the others and the clients should reach it: the standby's "
                    + "refusals name it. Empty: http://127.0.0.1:<HTTP port>/stratos.")
    String url() default "";

    @AttributeDefinition(name = "leaseSeconds", required = false,
            description = "How long a lease holds unrenewed (2..300). The active controller renews it every fifth of this; a standby "
                    + "takes over this long after the active one stops renewing (crash, pause, lost database).")
    int leaseSeconds() default 5;

    @AttributeDefinition(name = "standbyRefreshSeconds", required = false,
            description = "How often a standby reloads the state it serves reads from (1..3600).")
    int standbyRefreshSeconds() default 2;
}
