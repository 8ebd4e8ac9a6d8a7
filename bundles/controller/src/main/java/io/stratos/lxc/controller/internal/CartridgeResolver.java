package io.stratos.lxc.controller.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.controller.Resources;
import java.util.List;

/**
 * What the controller needs to know of a cartridge version: its digest, resource request and runtimes.
 * Implemented over the cartridge store; a separate service so the controller keeps working (and says
 * why subscribing fails) while the store is away.
 */
public interface CartridgeResolver {

    /** Resolves {@code version} (null means the {@code latest} tag); NOT_FOUND names what is missing. */
    ResolvedCartridge resolve(String cartridge, String version);

    /** Whether the store has any version of the cartridge (a partition for one it has not can never run anything). */
    default boolean exists(String cartridge) {
        try {
            resolve(cartridge, null);
            return true;
        } catch (StratosException e) {
            if (e.kind() == StratosException.Kind.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /** @param appDir where the manifest says an application goes, null when it does not take one */
    record ResolvedCartridge(String name, String version, String digest, Resources request, List<String> runtimes, String appDir) {

        public ResolvedCartridge(String name, String version, String digest, Resources request, List<String> runtimes) {
            this(name, version, digest, request, runtimes, null);
        }
    }
}
