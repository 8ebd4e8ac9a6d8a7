package io.stratos.lxc.controller.internal;

import io.stratos.lxc.config.ConfigValues;
import io.stratos.lxc.api.net.Cidr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The controller's settings from PID {@code io.stratos.lxc.controller}, read without ever throwing. */
record ControllerSettings(int agentGracePeriodSeconds, int desiredStateLongPollSeconds, String routerDomain,
                          int routerPort, int reconcileIntervalMillis, String controllerUrl, int drainTimeoutSeconds,
                          int rolloutHealthTimeoutSeconds, long maxArtifactBytes, int artifactVersionsKept,
                          int lostVmDestroySeconds, int unknownVmGraceSeconds, List<String> allowedSources) {

    /** The settings before {@code drainTimeoutSeconds} and the rollout settings existed, with their defaults. */
    ControllerSettings(int agentGracePeriodSeconds, int desiredStateLongPollSeconds, String routerDomain, int routerPort,
                       int reconcileIntervalMillis, String controllerUrl) {
        this(agentGracePeriodSeconds, desiredStateLongPollSeconds, routerDomain, routerPort, reconcileIntervalMillis,
                controllerUrl, DEFAULT_DRAIN_TIMEOUT_SECONDS, DEFAULT_ROLLOUT_HEALTH_TIMEOUT_SECONDS, DEFAULT_MAX_ARTIFACT_BYTES,
                DEFAULT_ARTIFACT_VERSIONS_KEPT, DEFAULT_LOST_VM_DESTROY_SECONDS, DEFAULT_UNKNOWN_VM_GRACE_SECONDS, List.of());
    }

    /** With lostVmDestroySeconds and unknownVmGraceSeconds given, the rest the defaults (for tests). */
    ControllerSettings withVmCleanup(int lostVmDestroySeconds, int unknownVmGraceSeconds) {
        return new ControllerSettings(agentGracePeriodSeconds, desiredStateLongPollSeconds, routerDomain, routerPort,
                reconcileIntervalMillis, controllerUrl, drainTimeoutSeconds, rolloutHealthTimeoutSeconds, maxArtifactBytes,
                artifactVersionsKept, lostVmDestroySeconds, unknownVmGraceSeconds, allowedSources);
    }

    /** With these allowed sources, the rest as they are (for tests). */
    ControllerSettings withAllowedSources(List<String> sources) {
        return new ControllerSettings(agentGracePeriodSeconds, desiredStateLongPollSeconds, routerDomain, routerPort,
                reconcileIntervalMillis, controllerUrl, drainTimeoutSeconds, rolloutHealthTimeoutSeconds, maxArtifactBytes,
                artifactVersionsKept, lostVmDestroySeconds, unknownVmGraceSeconds, List.copyOf(sources));
    }

    static final int DEFAULT_DRAIN_TIMEOUT_SECONDS = 30;
    static final int DEFAULT_ROLLOUT_HEALTH_TIMEOUT_SECONDS = 60;
    static final long DEFAULT_MAX_ARTIFACT_BYTES = 256L * 1024 * 1024;
    static final int DEFAULT_ARTIFACT_VERSIONS_KEPT = 20;
    static final int DEFAULT_LOST_VM_DESTROY_SECONDS = 600;
    static final int DEFAULT_UNKNOWN_VM_GRACE_SECONDS = 300;

    static final String PID = "io.stratos.lxc.controller";

    static ConfigValues read(Map<String, ?> properties) {
        return ConfigValues.of(PID, properties);
    }

    static ControllerSettings from(ConfigValues values) {
        int grace = values.integer("agentGracePeriodSeconds", 30, 1, 3600);
        int longPoll = values.integer("desiredStateLongPollSeconds", 25, 1, 300);
        String domain = values.string("routerDomain", "stratos.local");
        if (!domain.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
            domain = values.problem("routerDomain", domain, "a DNS domain such as stratos.local", "stratos.local");
        }
        if (longPoll >= grace) {
            // An agent blocked in a long poll must not be declared lost while it waits.
            longPoll = values.problem("desiredStateLongPollSeconds", String.valueOf(longPoll),
                    "less than agentGracePeriodSeconds (" + grace + ")", Math.max(1, grace / 2));
        }
        int routerPort = values.port("routerPort", 8280);
        int interval = values.integer("reconcileIntervalMillis", 1000, 50, 60_000);
        String url = values.string("controllerUrl", "");
        if (!url.isEmpty() && !url.matches("https?://[^/\\s]+(/\\S*)?")) {
            url = values.problem("controllerUrl", url, "the URL agents reach the controller at, e.g. http://10.0.0.5:8181/stratos", "");
        }
        int drain = values.integer("drainTimeoutSeconds", DEFAULT_DRAIN_TIMEOUT_SECONDS, 0, 3600);
        int rollout = values.integer("rolloutHealthTimeoutSeconds", DEFAULT_ROLLOUT_HEALTH_TIMEOUT_SECONDS, 1, 3600);
        long maxArtifact = values.longValue("maxGitArtifactBytes", DEFAULT_MAX_ARTIFACT_BYTES, 1024, 64L * 1024 * 1024 * 1024);
        int kept = values.integer("artifactVersionsKept", DEFAULT_ARTIFACT_VERSIONS_KEPT, 2, 10_000);
        // 0: never (a LOST VM is then kept until deleted by hand; unknown VMs are left running)
        int lostDestroy = values.integer("lostVmDestroySeconds", DEFAULT_LOST_VM_DESTROY_SECONDS, 0, 7 * 24 * 3600);
        int unknownGrace = values.integer("unknownVmGraceSeconds", DEFAULT_UNKNOWN_VM_GRACE_SECONDS, 0, 7 * 24 * 3600);
        return new ControllerSettings(grace, longPoll, domain, routerPort, interval, url, drain, rollout, maxArtifact, kept,
                lostDestroy, unknownGrace, allowedSources(values));
    }

    /**
     * {@code allowedSources}: addresses or CIDR ranges, besides the controller's own, whose connections the agents'
     * published ports accept: the routers that run apart from the controller. Sent to every agent as it registers.
     */
    private static List<String> allowedSources(ConfigValues values) {
        String text = values.string("allowedSources", "");
        List<String> sources = new ArrayList<>();
        for (String item : text.split("[,\\s]+")) {
            if (item.isEmpty()) {
                continue;
            }
            try {
                sources.add(Cidr.parse(item).toString());
            } catch (IllegalArgumentException e) {
                return values.problem("allowedSources", text, "a comma-separated list of IP addresses or CIDR ranges, e.g. 10.0.1.5, 10.0.2.0/24",
                        List.of());
            }
        }
        return List.copyOf(sources);
    }
}
