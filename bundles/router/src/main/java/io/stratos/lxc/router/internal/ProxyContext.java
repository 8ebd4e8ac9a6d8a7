package io.stratos.lxc.router.internal;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * What the connections of one running {@link RouterServer} share: its settings, the routes, the traffic
 * figures, the backend connection pool, the count of requests in flight (which {@link RouterServer#stop}
 * waits for), the port it listens on, the access log, and the requests held for a cold start (null: none are held).
 */
record ProxyContext(RouterSettings settings, BackendTable table, TrafficMetrics metrics, BackendPool pool,
                    AtomicInteger active, IntSupplier port, AccessLog accessLog, ColdStarts coldStarts) {

    /** The address the router is reached at, when the client named none. */
    String endpoint() {
        return settings.endpoint(port.getAsInt());
    }

    /** The alias of {@code Host: <alias>.<domain>[:port]}, or null when the host is not under the domain. */
    String aliasFromHost(String host) {
        if (host == null || host.isEmpty() || host.startsWith("[")) {
            return null;
        }
        String hostSuffix = "." + settings.domain();
        int colon = host.indexOf(':');
        String name = (colon < 0 ? host : host.substring(0, colon)).toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.length() > hostSuffix.length() && name.endsWith(hostSuffix)) {
            return name.substring(0, name.length() - hostSuffix.length());
        }
        return null;
    }
}
