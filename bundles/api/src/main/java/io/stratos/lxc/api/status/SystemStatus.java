package io.stratos.lxc.api.status;

import java.util.List;

/**
 * The controller's overall status.
 *
 * @param version       the suite's version
 * @param startedAt     ISO-8601 instant the controller started
 * @param uptimeSeconds seconds since then
 * @param state         the worst state of any component ({@code ACTIVE} when all are)
 * @param components    every registered component, sorted by name
 * @param role          "active" or "standby": whether this controller holds the leader lease
 * @param leaseEpoch    the leader lease's epoch (0 before any controller held it)
 * @param leaseHolder   the node name of the active controller
 */
public record SystemStatus(String version, String startedAt, long uptimeSeconds,
                           ComponentState state, List<ComponentStatus> components,
                           String role, long leaseEpoch, String leaseHolder) {

    public SystemStatus {
        components = List.copyOf(components);
        role = role == null ? "active" : role;
        leaseHolder = leaseHolder == null ? "" : leaseHolder;
    }

    /** A controller that is alone on its database: always active. */
    public SystemStatus(String version, String startedAt, long uptimeSeconds, ComponentState state,
                        List<ComponentStatus> components) {
        this(version, startedAt, uptimeSeconds, state, components, "active", 0, "");
    }
}
