package io.stratos.lxc.api.security;

/**
 * The roles of the API. {@code admin} and {@code tenant} come from the JAAS realm (Karaf's
 * {@code etc/users.properties} by default: the group {@code admingroup} carries {@code admin});
 * {@code agent} is what a registered agent authenticates as with its VM id and secret.
 */
public final class Role {

    /** Manages cartridges, partitions, VMs, policies and every subscription. */
    public static final String ADMIN = "admin";
    /** Subscribes, scales and unsubscribes its own subscriptions; reads cartridges and policies. */
    public static final String TENANT = "tenant";
    /** A partition VM's agent: downloads images. */
    public static final String AGENT = "agent";

    private Role() {
    }
}
