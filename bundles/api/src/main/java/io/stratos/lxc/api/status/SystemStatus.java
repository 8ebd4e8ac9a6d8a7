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
 */
public record SystemStatus(String version, String startedAt, long uptimeSeconds,
                           ComponentState state, List<ComponentStatus> components) {

    public SystemStatus {
        components = List.copyOf(components);
    }
}
