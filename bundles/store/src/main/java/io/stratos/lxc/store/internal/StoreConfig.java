package io.stratos.lxc.store.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The keys of PID {@code io.stratos.lxc.store}, described for Karaf's {@code config:} commands and the web console
 * (metatype); the descriptions are those of the commented {@code io.stratos.lxc.store.cfg} the distribution ships, and a
 * test keeps both in step. The component reads the raw dictionary through {@link StoreSettings}, so that a bad value is
 * reported with its key and the last good settings stay in force.
 */
@ObjectClassDefinition(name = "Stratos LXC cartridge store",
        description = "Stratos LXC cartridge store (PID io.stratos.lxc.store): versioned cartridge images, content-addressed by "
                + "sha256, and application artifacts. Changes apply at once.")
@interface StoreConfig {

    @AttributeDefinition(name = "directory", required = false,
            description = "Where image blobs, the index and uploads in progress live. Changing it opens the store found there; "
                    + "nothing is moved. Default: <karaf.data>/store.")
    String directory();

    @AttributeDefinition(name = "maxImageBytes", required = false,
            description = "Largest image tarball accepted, in bytes, as uploaded (compressed); a larger one gets 413.")
    long maxImageBytes() default 4294967296L;

    @AttributeDefinition(name = "maxUnpackedBytes", required = false,
            description = "Largest sum of the entry sizes an image may declare once unpacked, and most bytes it may decompress to.")
    long maxUnpackedBytes() default 17179869184L;

    @AttributeDefinition(name = "maxEntries", required = false,
            description = "Most entries (files, directories, links) an image may have.")
    int maxEntries() default 200000;

    @AttributeDefinition(name = "maxManifestBytes", required = false, description = "Largest cartridge.json, in bytes.")
    long maxManifestBytes() default 65536;

    @AttributeDefinition(name = "preloadDirectory", required = false,
            description = "Image tarballs uploaded once, on the first start of the store. Empty for none. "
                    + "Default: <karaf.home>/cartridges.")
    String preloadDirectory();

    @AttributeDefinition(name = "maxArtifactBytes", required = false,
            description = "Largest application artifact accepted, in bytes, as uploaded; it may unpack to four times that.")
    long maxArtifactBytes() default 268435456L;
}
