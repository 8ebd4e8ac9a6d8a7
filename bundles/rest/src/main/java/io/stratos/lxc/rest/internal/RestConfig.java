package io.stratos.lxc.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The keys of PID {@code io.stratos.lxc.rest}, described for Karaf's {@code config:} commands and the web console (metatype);
 * the descriptions are those of the commented {@code io.stratos.lxc.rest.cfg} the distribution ships, and a test keeps both in step.
 * The component still reads the raw dictionary through its settings parser, so that a bad value is reported with
 * its key and the last good settings stay, instead of being silently converted to a default.
 */
@ObjectClassDefinition(name = "Stratos LXC REST API",
        description = "Stratos LXC REST API (PID io.stratos.lxc.rest). Changes apply at once.")
@interface RestConfig {

    @AttributeDefinition(name = "maxJsonBytes", required = false,
            description = "The largest JSON request body in bytes. A larger one is refused with 413 before it is read when its Content-Length says so, or as soon as it passes the limit when it is chunked. (Image uploads have their own limit, maxImageBytes in io.stratos.lxc.store.cfg.)")
    int maxJsonBytes() default 1048576;
}
