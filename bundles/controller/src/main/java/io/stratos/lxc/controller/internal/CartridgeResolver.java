package io.stratos.lxc.controller.internal;

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

    /** @param appDir where the manifest says an application goes, null when it does not take one */
    record ResolvedCartridge(String name, String version, String digest, Resources request, List<String> runtimes, String appDir) {

        public ResolvedCartridge(String name, String version, String digest, Resources request, List<String> runtimes) {
            this(name, version, digest, request, runtimes, null);
        }
    }
}
