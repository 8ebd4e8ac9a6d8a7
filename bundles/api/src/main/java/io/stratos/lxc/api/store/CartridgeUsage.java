package io.stratos.lxc.api.store;

import java.util.Set;

/**
 * Whiteboard service: who uses a cartridge version. The store asks every registered one before it
 * deletes a version and refuses (409) while any answers a subscription. The controller registers
 * one over its subscriptions.
 */
public interface CartridgeUsage {

    /** Aliases of the subscriptions that use this version; empty when none. Must not throw. */
    Set<String> subscriptionsUsing(String cartridge, String version);
}
