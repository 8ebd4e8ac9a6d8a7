package io.stratos.lxc.api.router;

import java.util.List;

/**
 * The router as a whole.
 *
 * @param bindAddress where it listens
 * @param port        its port
 * @param domain      subscriptions are served as {@code <alias>.<domain>}
 * @param listening   false while it cannot bind its port
 * @param aliases     every alias it has served, sorted by alias
 */
public record RouterStats(String bindAddress, int port, String domain, boolean listening, List<AliasTraffic> aliases) {

    public RouterStats {
        aliases = List.copyOf(aliases);
    }

    public int requestsInFlight() {
        return aliases.stream().mapToInt(AliasTraffic::requestsInFlight).sum();
    }

    public long requests() {
        return aliases.stream().mapToLong(AliasTraffic::requests).sum();
    }
}
