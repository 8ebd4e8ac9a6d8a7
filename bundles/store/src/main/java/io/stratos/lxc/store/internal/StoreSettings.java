package io.stratos.lxc.store.internal;

import io.stratos.lxc.config.ConfigValues;
import java.nio.file.Path;
import java.util.Map;

/**
 * The store's settings from PID {@code io.stratos.lxc.store}, read without ever throwing.
 *
 * @param directory        where blobs, the index and upload temporaries live
 * @param maxImageBytes    largest tarball accepted (compressed, as uploaded)
 * @param maxUnpackedBytes largest sum of the entry sizes a tarball may declare, and most bytes it may decompress to
 * @param maxManifestBytes largest cartridge.json
 * @param preloadDirectory image tarballs uploaded once, on the first start of an empty store; null for none
 * @param maxEntries       most entries an image (or an application artifact) may have
 * @param maxArtifactBytes largest application artifact accepted, as uploaded; it may unpack to four times that
 */
public record StoreSettings(Path directory, long maxImageBytes, long maxUnpackedBytes, long maxManifestBytes,
                     Path preloadDirectory, int maxEntries, long maxArtifactBytes) {

    public StoreSettings(Path directory, long maxImageBytes, long maxUnpackedBytes, long maxManifestBytes, Path preloadDirectory) {
        this(directory, maxImageBytes, maxUnpackedBytes, maxManifestBytes, preloadDirectory, ImageValidator.DEFAULT_MAX_ENTRIES,
                DEFAULT_MAX_ARTIFACT_BYTES);
    }

    static final long DEFAULT_MAX_ARTIFACT_BYTES = 256L * 1024 * 1024;

    static final String PID = "io.stratos.lxc.store";
    static final long GIB = 1024L * 1024 * 1024;

    static ConfigValues read(Map<String, ?> properties) {
        return ConfigValues.of(PID, properties);
    }

    static String defaultDirectory() {
        return System.getProperty("karaf.data", "data") + "/store";
    }

    static StoreSettings from(ConfigValues values) {
        String directory = values.string("directory", defaultDirectory());
        Path dir;
        try {
            dir = Path.of(directory);
            if (!dir.isAbsolute()) {
                dir = dir.toAbsolutePath();
            }
        } catch (RuntimeException e) {
            dir = values.problem("directory", directory, "a directory path", Path.of(defaultDirectory()).toAbsolutePath());
        }
        long maxImage = values.longValue("maxImageBytes", 4 * GIB, 1024, 1024 * GIB);
        long maxUnpacked = values.longValue("maxUnpackedBytes", 16 * GIB, 1024, 4096 * GIB);
        long maxManifest = values.longValue("maxManifestBytes", 64 * 1024, 256, 16 * 1024 * 1024);
        String preload = values.string("preloadDirectory", null);
        Path preloadDir = null;
        if (preload != null) {
            try {
                preloadDir = Path.of(preload).toAbsolutePath();
            } catch (RuntimeException e) {
                preloadDir = values.problem("preloadDirectory", preload, "a directory path", null);
            }
        }
        int maxEntries = (int) values.longValue("maxEntries", ImageValidator.DEFAULT_MAX_ENTRIES, 100, 10_000_000);
        long maxArtifact = values.longValue("maxArtifactBytes", DEFAULT_MAX_ARTIFACT_BYTES, 1024, 64 * GIB);
        return new StoreSettings(dir, maxImage, maxUnpacked, maxManifest, preloadDir, maxEntries, maxArtifact);
    }
}
