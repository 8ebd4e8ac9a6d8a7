package io.stratos.lxc.agent.internal.image;

import java.nio.file.Path;

/**
 * One unpacked image in the cache: {@code <imagesDir>/<hex>/cartridge.json} and {@code rootfs/}.
 *
 * @param digest    {@code sha256:<hex>}
 * @param dir       the image directory
 * @param sizeBytes bytes on disk (files of the unpacked tree)
 */
public record CachedImage(String digest, Path dir, long sizeBytes) {

    public Path rootfs() {
        return dir.resolve("rootfs");
    }

    public Path manifest() {
        return dir.resolve("cartridge.json");
    }

    public String hex() {
        return digest.substring("sha256:".length());
    }
}
