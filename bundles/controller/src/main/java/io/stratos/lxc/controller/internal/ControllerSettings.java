package io.stratos.lxc.controller.internal;

import io.stratos.lxc.api.config.ConfigValues;
import java.util.Map;

/** The controller's settings from PID {@code io.stratos.lxc.controller}, read without ever throwing. */
record ControllerSettings(int agentGracePeriodSeconds, int desiredStateLongPollSeconds, String routerDomain,
                          int routerPort, int reconcileIntervalMillis, String controllerUrl, int drainTimeoutSeconds,
                          int rolloutHealthTimeoutSeconds, long maxArtifactBytes, int artifactVersionsKept) {

    /** The settings before {@code drainTimeoutSeconds} and the rollout settings existed, with their defaults. */
    ControllerSettings(int agentGracePeriodSeconds, int desiredStateLongPollSeconds, String routerDomain, int routerPort,
                       int reconcileIntervalMillis, String controllerUrl) {
        this(agentGracePeriodSeconds, desiredStateLongPollSeconds, routerDomain, routerPort, reconcileIntervalMillis,
                controllerUrl, DEFAULT_DRAIN_TIMEOUT_SECONDS, DEFAULT_ROLLOUT_HEALTH_TIMEOUT_SECONDS, DEFAULT_MAX_ARTIFACT_BYTES,
                DEFAULT_ARTIFACT_VERSIONS_KEPT);
    }

    static final int DEFAULT_DRAIN_TIMEOUT_SECONDS = 30;
    static final int DEFAULT_ROLLOUT_HEALTH_TIMEOUT_SECONDS = 60;
    static final long DEFAULT_MAX_ARTIFACT_BYTES = 256L * 1024 * 1024;
    static final int DEFAULT_ARTIFACT_VERSIONS_KEPT = 20;

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
        return new ControllerSettings(grace, longPoll, domain, routerPort, interval, url, drain, rollout, maxArtifact, kept);
    }
}
