package io.stratos.lxc.agent.status;

import java.time.Instant;

/**
 * One image in this VM's cache.
 *
 * @param digest    {@code sha256:<hex>}
 * @param cartridge cartridge name and version from its {@code cartridge.json}, {@code ?} when unreadable
 * @param bytes     size of the unpacked image on disk
 * @param lastUsed  when a process last started or stopped on it (the cache evicts the least recently used)
 * @param processes how many processes use it now (an image in use is never evicted)
 */
public record AgentImage(String digest, String cartridge, long bytes, Instant lastUsed, int processes) {
}
