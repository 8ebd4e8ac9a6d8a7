package io.stratos.lxc.api.security;

import java.util.Set;

/**
 * Who makes a call, as the front ends (REST, console, shell) authenticated them: a user of the JAAS realm
 * with its roles, or an agent. A tenant's subscriptions belong to its user name.
 *
 * @param name  the user name (the tenant, for tenants) or the agent's VM id
 * @param roles the roles it holds; see {@link Role}
 */
public record Caller(String name, Set<String> roles) {

    public Caller {
        roles = Set.copyOf(roles);
    }

    /** Someone who may do everything (operators, the shell, JMX, the autoscaler). */
    public static Caller admin(String name) {
        return new Caller(name, Set.of(Role.ADMIN));
    }

    public static Caller tenant(String name) {
        return new Caller(name, Set.of(Role.TENANT));
    }

    public static Caller agent(String vmId) {
        return new Caller(vmId, Set.of(Role.AGENT));
    }

    public boolean has(String role) {
        return roles.contains(role);
    }

    public boolean isAdmin() {
        return has(Role.ADMIN);
    }
}
