package io.stratos.lxc.api.store;

import io.stratos.lxc.api.StratosException;
import java.io.InputStream;
import java.util.List;

/**
 * Versioned cartridge images, stored once by sha256. Every failure is a {@link StratosException}:
 * INVALID_INPUT naming the offending tar entry or manifest field, TOO_LARGE, NOT_FOUND, CONFLICT,
 * or UNAVAILABLE while the store is not configured.
 */
public interface CartridgeStore {

    /** All cartridges with their versions, sorted by name. */
    List<Cartridge> list();

    /** One cartridge; NOT_FOUND when it has no version. */
    Cartridge cartridge(String name);

    /** One version, by version or by tag (e.g. {@code latest}); NOT_FOUND when absent. */
    CartridgeImage image(String name, String versionOrTag);

    /**
     * Stores an image tarball (gzip, zstd or plain tar). The body is streamed to a temporary file
     * and becomes visible only once its digest, the expected digest and the image are checked; a
     * failure or crash leaves the store as it was.
     *
     * @param name           expected cartridge name, or null to take the manifest's
     * @param version        expected version, or null to take the manifest's
     * @param body           the tarball; read to its end, not closed
     * @param declaredSize   the size announced by the client, or -1; over the limit fails at once
     * @param expectedDigest {@code sha256:<hex>} the client expects, or null
     * @param manifestJson   the manifest sent alongside the tarball, or null when it is inside
     * @return the stored version; {@code created} is false when the same bytes were already stored
     */
    UploadResult upload(String name, String version, InputStream body, long declaredSize, String expectedDigest,
                        byte[] manifestJson);

    /** Deletes a version (not a tag); CONFLICT naming the subscriptions that use it. */
    void delete(String name, String version);

    /** Points a tag at a version; returns the cartridge. */
    Cartridge tag(String name, String tag, String version);

    /** Removes a tag; NOT_FOUND when absent. */
    Cartridge untag(String name, String tag);

    /** The bytes of an image by digest {@code sha256:<hex>}; NOT_FOUND when absent. */
    ImageBlob blob(String digest);

    /** The largest tarball accepted, in bytes, so front ends can refuse a larger body before reading it. */
    long maxImageBytes();

    StoreStatistics statistics();
}
