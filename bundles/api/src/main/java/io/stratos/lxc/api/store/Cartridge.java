package io.stratos.lxc.api.store;

import java.util.List;
import java.util.Map;

/**
 * A cartridge with all its stored versions.
 *
 * @param name     cartridge name
 * @param tags     tag to version, e.g. {@code latest -> 1.0.1}
 * @param versions its versions, oldest version first (semver order)
 */
public record Cartridge(String name, Map<String, String> tags, List<CartridgeImage> versions) {

    public Cartridge {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        versions = versions == null ? List.of() : List.copyOf(versions);
    }
}
