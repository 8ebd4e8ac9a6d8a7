package io.stratos.lxc.api.status;

/**
 * Whiteboard service: every component of the suite registers one, and the {@link StatusService}
 * shows whatever is registered. A component that is not running simply is not listed.
 */
public interface StatusContributor {
    ComponentStatus componentStatus();
}
