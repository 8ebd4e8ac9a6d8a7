package io.stratos.lxc.api.store;

import java.nio.file.Path;

/**
 * The bytes of a stored image, for download. The file is immutable and named by its digest.
 *
 * @param digest {@code sha256:<hex>}
 * @param size   bytes
 * @param path   the file holding them (read only)
 */
public record ImageBlob(String digest, long size, Path path) {
}
