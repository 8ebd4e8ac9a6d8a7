package io.stratos.lxc.api.security;

/**
 * The roles of the API. {@code admin} and {@code tenant} come from the JAAS realm (Karaf's
 * {@code etc/users.properties} by default: the group {@code admingroup} carries {@code admin});
 * {@code agent} is what a registered agent authenticates as with its VM id and secret; {@code router} is a router
 * that runs apart from the controller (a user of the realm in a group carrying it); {@code metrics} is a monitoring
 * system (Prometheus) that reads {@code GET /stratos/metrics} and nothing else.
 */
public final class Role {

    /** Manages cartridges, partitions, VMs, policies and every subscription. */
    public static final String ADMIN = "admin";
    /** Subscribes, scales and unsubscribes its own subscriptions; reads cartridges and policies. */
    public static final String TENANT = "tenant";
    /** A partition VM's agent: downloads images. */
    public static final String AGENT = "agent";
    /** A router apart from the controller: reads every alias's routes (GET /stratos/router/v1/routes). */
    public static final String ROUTER = "router";
    /** A monitoring system: reads the OpenMetrics endpoint {@code GET /stratos/metrics}, and nothing else. */
    public static final String METRICS = "metrics";

    private Role() {
    }
}
