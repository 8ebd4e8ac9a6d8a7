package io.stratos.lxc.router.internal;

import io.stratos.lxc.config.ConfigValues;
import io.stratos.lxc.api.net.Cidr;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Settings of PID {@code io.stratos.lxc.router}.
 *
 * @param port                  the router's own HTTP port (not Karaf's); 0 only in tests (any free port)
 * @param bindAddress           the address it listens on
 * @param domain                subscriptions answer as {@code <alias>.<domain>}
 * @param connectTimeoutMillis  how long to wait for a backend's TCP connection before trying the next
 * @param requestTimeoutSeconds how long to wait for a backend's response headers before answering 504
 * @param ioThreads             Netty event loop threads; 0 for Netty's default (twice the cores)
 * @param backendCacheMillis    how long a backend list is reused before asking the controller again
 * @param backendDownMillis     how long a backend that refused a connection is avoided
 * @param headerTimeoutSeconds  how long a client may take to send a request's headers before 408
 * @param idleTimeoutSeconds    how long a keep-alive connection (client's or a pooled backend's) may sit idle,
 *                              and a client may pause in a request body
 * @param maxHeaderBytes        the longest request line, and the most header bytes, a client may send
 * @param trustedProxies        clients whose X-Forwarded-* headers are believed (and appended to)
 * @param drainTimeoutSeconds   how long an upgraded (WebSocket) connection to a draining process is left open
 * @param controllerUrl         for a router apart from the controller: the controller it follows the routes of
 *                              ({@code http://host:8181}); null when the controller runs in the same Karaf
 * @param controllerAuthorization the {@code Authorization} header of the router's user (role router), or null
 * @param maxHeldRequests       requests held at once, over all aliases, while their subscription starts a process
 *                              (scale from zero); beyond it, 503 with Retry-After. 0: never hold
 * @param holdTimeoutSeconds    how long one request is held for a process to start before 503 with Retry-After
 * @param otherControllers      the other controllers listed after the first in {@code controllerUrl} (controllers that
 *                              share one database): the router follows the active one, moving on when one is gone
 */
record RouterSettings(int port, String bindAddress, String domain, int connectTimeoutMillis, int requestTimeoutSeconds,
                      int ioThreads, int backendCacheMillis, int backendDownMillis, int headerTimeoutSeconds,
                      int idleTimeoutSeconds, int maxHeaderBytes, List<Cidr> trustedProxies, int drainTimeoutSeconds,
                      URI controllerUrl, String controllerAuthorization, int maxHeldRequests, int holdTimeoutSeconds,
                      List<URI> otherControllers) {

    RouterSettings {
        trustedProxies = List.copyOf(trustedProxies);
        otherControllers = List.copyOf(otherControllers);
    }

    /** Following one controller (or none). */
    RouterSettings(int port, String bindAddress, String domain, int connectTimeoutMillis, int requestTimeoutSeconds,
                   int ioThreads, int backendCacheMillis, int backendDownMillis, int headerTimeoutSeconds,
                   int idleTimeoutSeconds, int maxHeaderBytes, List<Cidr> trustedProxies, int drainTimeoutSeconds,
                   URI controllerUrl, String controllerAuthorization, int maxHeldRequests, int holdTimeoutSeconds) {
        this(port, bindAddress, domain, connectTimeoutMillis, requestTimeoutSeconds, ioThreads, backendCacheMillis,
                backendDownMillis, headerTimeoutSeconds, idleTimeoutSeconds, maxHeaderBytes, trustedProxies,
                drainTimeoutSeconds, controllerUrl, controllerAuthorization, maxHeldRequests, holdTimeoutSeconds, List.of());
    }

    /** Every controller it follows, the first first. */
    List<URI> controllers() {
        List<URI> all = new ArrayList<>();
        if (controllerUrl != null) {
            all.add(controllerUrl);
        }
        all.addAll(otherControllers);
        return all;
    }

    static final int DEFAULT_MAX_HELD = 1000;
    static final int DEFAULT_HOLD_TIMEOUT_SECONDS = 30;

    /** With the default bounds of held requests. */
    RouterSettings(int port, String bindAddress, String domain, int connectTimeoutMillis, int requestTimeoutSeconds,
                   int ioThreads, int backendCacheMillis, int backendDownMillis, int headerTimeoutSeconds,
                   int idleTimeoutSeconds, int maxHeaderBytes, List<Cidr> trustedProxies, int drainTimeoutSeconds,
                   URI controllerUrl, String controllerAuthorization) {
        this(port, bindAddress, domain, connectTimeoutMillis, requestTimeoutSeconds, ioThreads, backendCacheMillis,
                backendDownMillis, headerTimeoutSeconds, idleTimeoutSeconds, maxHeaderBytes, trustedProxies,
                drainTimeoutSeconds, controllerUrl, controllerAuthorization, DEFAULT_MAX_HELD, DEFAULT_HOLD_TIMEOUT_SECONDS);
    }

    static final String PID = "io.stratos.lxc.router";

    private static final Pattern DNS_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    static RouterSettings defaults() {
        return from(ConfigValues.of(PID, java.util.Map.of()));
    }

    static RouterSettings from(ConfigValues values) {
        int port = values.port("port", 8280);
        String bind = values.string("bindAddress", "127.0.0.1");
        if (!validAddress(bind)) {
            bind = values.problem("bindAddress", bind, "an IP address such as 127.0.0.1 (or a host name)", "127.0.0.1");
        }
        String domain = values.string("domain", "stratos.local").toLowerCase(Locale.ROOT);
        if (domain.startsWith(".")) {
            domain = domain.substring(1);
        }
        if (!DNS_NAME.matcher(domain).matches() || domain.length() > 253) {
            domain = values.problem("domain", domain, "a DNS domain such as stratos.local", "stratos.local");
        }
        int connect = values.integer("connectTimeoutMillis", 1000, 1, 600_000);
        int request = values.integer("requestTimeoutSeconds", 60, 1, 86_400);
        // the old workerThreads key (thread per connection) is no longer read: left in a cfg it is ignored
        int io = values.integer("ioThreads", 0, 0, 256);
        int cache = values.integer("backendCacheMillis", 500, 0, 60_000);
        int down = values.integer("backendDownMillis", 5000, 0, 600_000);
        int header = values.integer("headerTimeoutSeconds", 10, 1, 3600);
        int idle = values.integer("idleTimeoutSeconds", 60, 1, 86_400);
        int maxHeader = values.integer("maxHeaderBytes", 16_384, 1024, 1_048_576);
        List<Cidr> trusted = new ArrayList<>();
        String proxies = values.string("trustedProxies", "").trim();
        if (!proxies.isEmpty()) {
            try {
                for (String range : proxies.split("\\s*,\\s*")) {
                    trusted.add(Cidr.parse(range));
                }
            } catch (IllegalArgumentException e) {
                trusted = values.problem("trustedProxies", proxies,
                        "comma-separated addresses or CIDR ranges such as 10.0.0.0/8, ::1", List.of());
            }
        }
        int drain = values.integer("drainTimeoutSeconds", 30, 0, 86_400);
        List<URI> controllers = controllerUrls(values);
        URI controller = controllers.isEmpty() ? null : controllers.get(0);
        String authorization = null;
        if (controller != null) {
            String user = values.string("controllerUser", "").trim();
            String password = values.string("controllerPassword", "");
            if (user.isEmpty() || user.contains(":") || password.isEmpty()) {
                values.problem("controllerUser", user, "the user name and controllerPassword of a user with the router "
                        + "role in the controller's etc/users.properties (e.g. edge1 = <password>,_g_:routergroup)", "");
            } else {
                authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            }
        }
        int maxHeld = values.integer("maxHeldRequests", DEFAULT_MAX_HELD, 0, 100_000);
        int holdTimeout = values.integer("holdTimeoutSeconds", DEFAULT_HOLD_TIMEOUT_SECONDS, 1, 600);
        return new RouterSettings(port, bind, domain, connect, request, io, cache, down, header, idle, maxHeader,
                trusted, drain, controller, authorization, maxHeld, holdTimeout,
                controllers.isEmpty() ? List.of() : controllers.subList(1, controllers.size()));
    }

    /**
     * {@code controllerUrl}: empty for the controller in the same Karaf, else its http(s) origin, or several separated by
     * commas (controllers sharing one database).
     */
    private static List<URI> controllerUrls(ConfigValues values) {
        String text = values.string("controllerUrl", "").trim();
        List<URI> origins = new ArrayList<>();
        if (text.isEmpty()) {
            return origins;
        }
        for (String one : text.split("\\s*,\\s*")) {
            URI origin = origin(one);
            if (origin == null) {
                return values.problem("controllerUrl", text, "the controller's origin, such as http://10.0.0.5:8181, or several "
                        + "separated by commas (or nothing when the controller runs in this Karaf)", List.of());
            }
            origins.add(origin);
        }
        return origins;
    }

    private static URI origin(String text) {
        try {
            URI uri = new URI(text);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getUserInfo() == null) {
                return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), null, null, null);
            }
        } catch (java.net.URISyntaxException e) {
            // null: said by the caller
        }
        return null;
    }

    /** As the record would say it, without the router user's credentials (the settings are logged). */
    @Override
    public String toString() {
        return "RouterSettings[port=" + port + ", bindAddress=" + bindAddress + ", domain=" + domain
                + ", connectTimeoutMillis=" + connectTimeoutMillis + ", requestTimeoutSeconds=" + requestTimeoutSeconds
                + ", ioThreads=" + ioThreads + ", backendCacheMillis=" + backendCacheMillis + ", backendDownMillis="
                + backendDownMillis + ", headerTimeoutSeconds=" + headerTimeoutSeconds + ", idleTimeoutSeconds="
                + idleTimeoutSeconds + ", maxHeaderBytes=" + maxHeaderBytes + ", trustedProxies=" + trustedProxies
                + ", drainTimeoutSeconds=" + drainTimeoutSeconds + ", controllerUrl=" + controllers()
                + ", controllerAuthorization=" + (controllerAuthorization == null ? "none" : "(hidden)")
                + ", maxHeldRequests=" + maxHeldRequests + ", holdTimeoutSeconds=" + holdTimeoutSeconds + "]";
    }

    /** Whether this router follows a controller elsewhere (else it asks the one in its own Karaf). */
    boolean apart() {
        return controllerUrl != null && controllerAuthorization != null;
    }

    /** Whether a client at {@code address} is a proxy whose X-Forwarded-* headers are believed. */
    boolean trusted(InetAddress address) {
        for (Cidr range : trustedProxies) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static boolean validAddress(String address) {
        var v4 = IPV4.matcher(address);
        if (v4.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(v4.group(i)) > 255) {
                    return false;
                }
            }
            return true;
        }
        return IPV6.matcher(address).matches() || DNS_NAME.matcher(address.toLowerCase(Locale.ROOT)).matches();
    }

    /** The listening address as people write it: {@code 127.0.0.1:8280}, {@code [::1]:8280}. */
    String endpoint(int actualPort) {
        return (bindAddress.contains(":") ? "[" + bindAddress + "]" : bindAddress) + ":" + actualPort;
    }
}
