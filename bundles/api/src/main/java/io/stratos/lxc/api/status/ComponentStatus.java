package io.stratos.lxc.api.status;

/**
 * One component's state, as shown by {@code GET /status}, {@code stratos:status} and JMX.
 *
 * @param name   stable component name, e.g. {@code controller}, {@code store}, {@code iaas-local}
 * @param state  its state
 * @param detail why it is in that state, in words; empty when there is nothing to say
 */
public record ComponentStatus(String name, ComponentState state, String detail) {

    public ComponentStatus {
        detail = detail == null ? "" : detail;
    }

    public static ComponentStatus active(String name) {
        return new ComponentStatus(name, ComponentState.ACTIVE, "");
    }
}
