package io.stratos.lxc.api.artifact;

/**
 * An artifact in the store.
 *
 * @param digest {@code sha256:<hex>} of the normalised tarball
 * @param size   bytes of the normalised tarball
 * @param files  regular files in it
 */
public record StoredArtifact(String digest, long size, int files) {
}
