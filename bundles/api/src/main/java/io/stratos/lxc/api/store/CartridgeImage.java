package io.stratos.lxc.api.store;

import java.util.List;

/**
 * One stored version of a cartridge.
 *
 * @param name       cartridge name
 * @param version    version
 * @param digest     {@code sha256:<64 hex>} of the tarball as uploaded
 * @param size       bytes of the tarball
 * @param uploadedAt ISO-8601 instant of the upload
 * @param tags       tags pointing at this version (e.g. {@code latest}), sorted
 * @param manifest   its manifest
 */
public record CartridgeImage(String name, String version, String digest, long size, String uploadedAt,
                             List<String> tags, CartridgeManifest manifest) {

    public CartridgeImage {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
