package io.stratos.lxc.controller.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.store.CartridgeImage;
import io.stratos.lxc.api.store.CartridgeManifest;
import io.stratos.lxc.api.store.CartridgeStore;
import java.util.List;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Resolves cartridge versions (or tags; none means {@code latest}) through the cartridge store. */
@Component(service = CartridgeResolver.class)
public class StoreCartridgeResolver implements CartridgeResolver {

    /** What a process gets when its manifest asks for nothing. */
    static final Resources DEFAULT_REQUEST = new Resources(100, 64);

    @Reference
    CartridgeStore store;

    @Override
    public ResolvedCartridge resolve(String cartridge, String version) {
        return resolved(store.image(cartridge, version == null || version.isBlank() ? "latest" : version));
    }

    /** Any version counts, tagged latest or not. */
    @Override
    public boolean exists(String cartridge) {
        try {
            store.cartridge(cartridge);
            return true;
        } catch (StratosException e) {
            if (e.kind() == StratosException.Kind.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    static ResolvedCartridge resolved(CartridgeImage image) {
        CartridgeManifest manifest = image.manifest();
        CartridgeManifest.Resources asked = manifest.resources();
        Resources request = asked == null ? DEFAULT_REQUEST : new Resources(
                asked.cpuMillis() > 0 ? asked.cpuMillis() : DEFAULT_REQUEST.cpuMillis(),
                asked.memoryMiB() > 0 ? asked.memoryMiB() : DEFAULT_REQUEST.memoryMiB());
        List<String> runtimes = manifest.runtimes().isEmpty() ? List.of("lxc", "docker") : manifest.runtimes();
        return new ResolvedCartridge(image.name(), image.version(), image.digest(), request, runtimes, manifest.appDir());
    }
}
