package io.stratos.lxc.api.artifact;

import io.stratos.lxc.api.store.ImageBlob;
import java.io.InputStream;
import java.util.Optional;

/**
 * Application artifacts, content-addressed like cartridge images. An upload (tar, tar.gz or zip) is checked
 * (no absolute paths, no {@code ..}, no links leaving the application directory, no device nodes, fifos,
 * setuid files or hard links, at most the configured size) and stored as one normalised tarball with every
 * entry under {@code app/}, so agents unpack one format. The digest is that tarball's sha256: the same content
 * uploaded twice is stored once. Failures are {@link io.stratos.lxc.api.StratosException}s naming the entry.
 */
public interface ArtifactStore {

    /** Checks, normalises and stores an artifact; reads the stream to its end or to the first refusal. */
    StoredArtifact put(InputStream artifact);

    /** The stored tarball by {@code sha256:<hex>}, for agents' downloads. */
    Optional<ImageBlob> open(String digest);

    /**
     * Garbage collection: deletes every stored artifact not in {@code keep} that is older than {@code minAge} (so one
     * just uploaded, not yet entered in a subscription's history, stays). Returns how many were deleted.
     */
    int retainOnly(java.util.Set<String> keep, java.time.Duration minAge);
}
