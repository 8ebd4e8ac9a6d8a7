package io.stratos.lxc.iaas.local;

import io.stratos.lxc.api.net.IpLiteral;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How namespaced local VMs reach the controller: its URL with a loopback host becomes this host's address on the
 * bridge, and when the controller listens on 127.0.0.1 only, a {@link ControllerRelay} from the bridge carries them
 * there. The relays live as long as the bridge does.
 */
final class ControllerAccess {

    private static final Logger LOG = LoggerFactory.getLogger(ControllerAccess.class);

    private final VmNetwork network;
    /** Relays from the bridge to the controller, by port. */
    private final Map<Integer, ControllerRelay> relays = new HashMap<>();

    ControllerAccess(VmNetwork network) {
        this.network = network;
    }

    /**
     * Where the controller URL must be relayed from the bridge ({@code 127.0.0.1:8181}), or null: only a URL on this
     * host's loopback needs it; any other address the VMs reach through the bridge as it is.
     */
    static String relayTarget(String controllerUrl) {
        // several controllers sharing one database: comma-separated, one relay each
        java.util.List<String> targets = new java.util.ArrayList<>();
        for (String one : controllerUrl.split(",")) {
            URI uri = URI.create(one.trim());
            if (uri.getHost() != null && isLoopback(uri.getHost())) {
                int port = uri.getPort() > 0 ? uri.getPort() : ("https".equals(uri.getScheme()) ? 443 : 80);
                targets.add("127.0.0.1:" + port);
            }
        }
        return targets.isEmpty() ? null : String.join(",", targets);
    }

    /** The controller URL as a namespaced VM reaches it: a loopback host becomes this host's address on the bridge. */
    String urlFromVm(String controllerUrl) {
        if (controllerUrl.contains(",")) {
            java.util.List<String> mapped = new java.util.ArrayList<>();
            for (String one : controllerUrl.split(",")) {
                mapped.add(urlFromVm(one.trim()));
            }
            return String.join(",", mapped);
        }
        URI uri = URI.create(controllerUrl);
        if (uri.getHost() == null || !isLoopback(uri.getHost())) {
            return controllerUrl;
        }
        try {
            return new URI(uri.getScheme(), uri.getUserInfo(), network.hostAddress(), uri.getPort(), uri.getPath(), uri.getQuery(),
                    uri.getFragment()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("controller URL " + controllerUrl + ": " + e.getMessage(), e);
        }
    }

    private static boolean isLoopback(String host) {
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return "localhost".equalsIgnoreCase(bare) || IpLiteral.parse(bare).map(InetAddress::isLoopbackAddress).orElse(false);
    }

    synchronized void ensureRelay(String targets) throws IOException {
        for (String target : targets.split(",")) {
            ensureOneRelay(target.trim());
        }
    }

    private void ensureOneRelay(String target) throws IOException {
        int port = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
        if (relays.containsKey(port)) {
            return;
        }
        InetSocketAddress onBridge = new InetSocketAddress(network.hostAddress(), port);
        try {
            relays.put(port, ControllerRelay.open(onBridge, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), network.subnet()));
        } catch (IOException e) {
            if (!answers(onBridge)) {
                throw e;
            }
            // The controller listens on every address (org.ops4j.pax.web.listening.addresses unset): the VMs reach it as it is.
            LOG.info("Local VMs reach the controller at {}:{} directly (it listens on every address)", network.hostAddress(), port);
        }
    }

    private static boolean answers(InetSocketAddress address) {
        try (java.net.Socket probe = new java.net.Socket()) {
            probe.connect(address, 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    synchronized void closeRelays() {
        relays.values().forEach(ControllerRelay::close);
        relays.clear();
    }
}
