package io.stratos.lxc.git.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The keys of PID {@code io.stratos.lxc.git}, described for Karaf's {@code config:} commands and the web console (metatype);
 * the descriptions are those of the commented {@code io.stratos.lxc.git.cfg} the distribution ships, and a test keeps both in step.
 * The component still reads the raw dictionary through its settings parser, so that a bad value is reported with
 * its key and the last good settings stay, instead of being silently converted to a default.
 */
@ObjectClassDefinition(name = "Stratos LXC git fetcher",
        description = "Stratos LXC git fetcher (PID io.stratos.lxc.git): application artifacts taken from a branch, tag or commit of a git repository. Changes apply at once. A value that cannot be read is logged with its key, the last good settings stay in force and `stratos:status` shows `git` UNCONFIGURED until it is fixed.")
@interface GitConfig {

    @AttributeDefinition(name = "allowedSchemes", required = false,
            description = "URL schemes a repository may be fetched over, comma-separated, out of https, http, git, ssh, file. Keep `file` out on a shared controller: with it a tenant could read any repository on the controller's disk (file:///..., or a bare path). Only public repositories can be fetched: there are no credentials. ssh needs an SSH transport for JGit, which this distribution does not ship: such URLs answer 503.")
    String allowedSchemes() default "https, http, git, ssh";

    @AttributeDefinition(name = "timeoutSeconds", required = false,
            description = "How long, in seconds, connecting to a repository or waiting for its next bytes may take before the fetch gives up (503, \"no answer within N s\"). It bounds each stall, not the whole fetch.")
    int timeoutSeconds() default 60;

    @AttributeDefinition(name = "workDir", required = false,
            description = "Where fetches in progress keep their temporary bare repositories; each is deleted when its fetch ends, and leftovers of a crash when the fetcher starts. Shipped as ${karaf.data}/stratos/git.")
    String workDir();

    @AttributeDefinition(name = "allowedHosts", required = false,
            description = "The only hosts a repository may be on (names or addresses, comma-separated), checked before any name lookup or connection. Empty: any host the allowed schemes reach. Set it when tenants must not make the controller connect to internal addresses (e.g. allowedHosts = github.com, git.example.org).")
    String allowedHosts() default "";
}
