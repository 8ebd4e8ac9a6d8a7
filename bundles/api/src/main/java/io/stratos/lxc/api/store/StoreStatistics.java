package io.stratos.lxc.api.store;

/**
 * Live counters of the store, as shown by JMX {@code io.stratos.lxc:type=Store}.
 *
 * @param cartridges  number of cartridges
 * @param images      number of stored versions
 * @param blobs       number of distinct blobs
 * @param bytes       bytes of all blobs
 * @param uploads     uploads accepted since start (including idempotent repeats)
 * @param duplicates  of those, repeats of bytes already stored
 * @param rejects     uploads refused since start
 * @param downloads   blobs opened for download since start
 */
public record StoreStatistics(int cartridges, int images, int blobs, long bytes, long uploads, long duplicates,
                              long rejects, long downloads) {
}
