package io.stratos.lxc.store.management;

/** JMX view {@code io.stratos.lxc:type=Store}: live counters of the cartridge store and its main operations. */
public interface StoreMBean {

    int getCartridgeCount();

    int getImageCount();

    /** Bytes of all stored image blobs. */
    long getBytes();

    /** Uploads accepted since start (including idempotent repeats). */
    long getUploads();

    /** Uploads refused since start (bad image, wrong digest, too large, conflict). */
    long getRejects();

    long getDuplicates();

    long getDownloads();

    /** One line per version: {@code name version digest size tags}. */
    String[] getImages();

    /** Deletes a version (refused while a subscription uses it). */
    void deleteVersion(String name, String version);

    /** Points a tag at a version. */
    void tag(String name, String tag, String version);
}
