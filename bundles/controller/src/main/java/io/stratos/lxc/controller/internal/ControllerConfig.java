package io.stratos.lxc.controller.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The keys of PID {@code io.stratos.lxc.controller}, described for Karaf's {@code config:} commands and the web console (metatype);
 * the descriptions are those of the commented {@code io.stratos.lxc.controller.cfg} the distribution ships, and a test keeps both in step.
 * The component still reads the raw dictionary through its settings parser, so that a bad value is reported with
 * its key and the last good settings stay, instead of being silently converted to a default.
 */
@ObjectClassDefinition(name = "Stratos LXC cloud controller",
        description = "Stratos LXC cloud controller (PID io.stratos.lxc.controller). Changes apply at once. A value that cannot be read is logged with its key, the controller keeps its last good settings and `stratos:status` shows it UNCONFIGURED until the value is fixed.")
@interface ControllerConfig {

    @AttributeDefinition(name = "agentGracePeriodSeconds", required = false,
            description = "Seconds an agent may stay silent before its VM counts as lost and its processes are re-placed.")
    int agentGracePeriodSeconds() default 30;

    @AttributeDefinition(name = "desiredStateLongPollSeconds", required = false,
            description = "Seconds the controller holds an agent's long poll for desired state open. Must be less than agentGracePeriodSeconds.")
    int desiredStateLongPollSeconds() default 25;

    @AttributeDefinition(name = "routerDomain", required = false,
            description = "Domain under which the router serves each subscription: http://<alias>.<routerDomain>/")
    String routerDomain() default "stratos.local";

    @AttributeDefinition(name = "routerPort", required = false,
            description = "Port of the router's HTTP entry on 127.0.0.1 (subscription endpoints point there).")
    int routerPort() default 8280;

    @AttributeDefinition(name = "reconcileIntervalMillis", required = false,
            description = "Milliseconds between reconciliation passes (placement, lost agents, VM requests).")
    int reconcileIntervalMillis() default 1000;

    @AttributeDefinition(name = "drainTimeoutSeconds", required = false,
            description = "Seconds a stopping process (scale-in, draining VM) keeps running, out of the router, while requests sent to it finish; it stops as soon as the router reports it drained. 0: stop at once.")
    int drainTimeoutSeconds() default 30;

    @AttributeDefinition(name = "controllerUrl", required = false,
            description = "URL agents use to reach this controller. Empty: http://127.0.0.1:<Karaf HTTP port>/stratos, right for the local adapter. For VMs on a real cloud, set an address they can reach.")
    String controllerUrl() default "";

    @AttributeDefinition(name = "rolloutHealthTimeoutSeconds", required = false,
            description = "Rolling out an application artifact: seconds a new process has to pass its health check (the manifest's \"health\") before the rollout stops and the previous version comes back.")
    int rolloutHealthTimeoutSeconds() default 60;

    @AttributeDefinition(name = "maxGitArtifactBytes", required = false,
            description = "Largest tree a git artifact may have (POST .../artifact {\"git\": ...}), in bytes, counted while the controller reads the commit. Uploaded artifacts are limited by maxArtifactBytes of the store.")
    int maxGitArtifactBytes() default 268435456;

    @AttributeDefinition(name = "artifactVersionsKept", required = false,
            description = "Versions of a subscription's application kept in its history (GET .../artifact); older ones are forgotten, except those still deployed, wanted or run by a process. Every ten minutes the store deletes artifacts (older than an hour) that no subscription keeps.")
    int artifactVersionsKept() default 20;

    @AttributeDefinition(name = "lostVmDestroySeconds", required = false,
            description = "Seconds a VM stays LOST (its agent silent) before the controller asks its adapter to destroy it and removes it from the list, once its partition has replaced it (or is gone). Its silent VM may still run and, on a cloud, cost money. An agent that comes back before then rejoins. Counted again from a controller restart. 0: never destroy LOST VMs.")
    int lostVmDestroySeconds() default 600;

    @AttributeDefinition(name = "unknownVmGraceSeconds", required = false,
            description = "Seconds a VM that an adapter has but the controller does not know (leaked by a crash or a race with deleting its partition) may live before the controller has the adapter destroy it, with a log line. Adapters are swept every half of this (1 to 60 s). 0: never sweep.")
    int unknownVmGraceSeconds() default 300;

    @AttributeDefinition(name = "allowedSources", required = false,
            description = "Addresses or CIDR ranges (comma-separated), besides the controller's own, whose connections the agents' published ports accept: routers that run apart from the controller. Sent to each agent when it registers; connections from anywhere else are closed and counted by the agent. The cloud firewall should allow the same: routers and controller to the VMs' port range, nothing else (docs/real-cloud.md).")
    String allowedSources();
}
