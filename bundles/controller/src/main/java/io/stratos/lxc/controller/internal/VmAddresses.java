package io.stratos.lxc.controller.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.iaas.IaasAdapter;
import io.stratos.lxc.api.net.Cidr;
import io.stratos.lxc.api.net.IpLiteral;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;

/**
 * Which address an agent may give for its VM. The routers connect to it, so a wrong one points them at the wrong host:
 * it must be a unicast literal, inside the partition's network when one is known, and a loopback address only for VMs
 * that share the controller's host (where 127.0.0.1 is the same machine the routers run on).
 */
final class VmAddresses {

    /** The partition template key naming its network; the adapter's own network otherwise. */
    static final String NETWORK_KEY = "network";

    private VmAddresses() {
    }

    /** A partition's template network, checked when the partition is created. */
    static void checkTemplate(Map<String, String> template) {
        String network = template == null ? null : template.get(NETWORK_KEY);
        if (network != null) {
            try {
                Cidr.parse(network);
            } catch (IllegalArgumentException e) {
                throw StratosException.invalid("template.network", e.getMessage(),
                        "give the partition's network as a CIDR range such as 10.0.0.0/16, or leave it out");
            }
        }
    }

    /**
     * The address to keep for a VM, normalised.
     *
     * @param reported   what the agent said; null from agents older than addresses (taken as 127.0.0.1)
     * @param adapter    the VM's adapter, null when it is not there right now (then only a non-loopback address passes)
     * @param template   the VM's partition's template
     * @throws StratosException 400 naming {@code field}
     */
    static String check(String field, String reported, IaasAdapter adapter, Map<String, String> template) {
        String text = reported == null ? "127.0.0.1" : reported;
        InetAddress address = IpLiteral.parse(text).orElseThrow(() -> StratosException.invalid(field,
                "'" + Inputs.printable(text) + "' is not an IP address", "the agent's publishAddress must be an IPv4 or IPv6 literal, not a host name"));
        String why = IpLiteral.notUnicast(address);
        if (why != null) {
            throw StratosException.invalid(field, why, "set the agent's publishAddress (STRATOS_AGENT_PUBLISH_ADDRESS) to the VM's own address");
        }
        if (address.isLoopbackAddress() && (adapter == null || !adapter.vmsShareHostLoopback())) {
            throw StratosException.invalid(field, "VM address " + address.getHostAddress() + " is a loopback address, which reaches "
                            + "only the VM itself" + (reported == null ? " (the agent sent no address: it is older than addresses)" : ""),
                    "set the agent's publishAddress (STRATOS_AGENT_PUBLISH_ADDRESS) to the address the routers reach the VM at;"
                            + " loopback is only for local VMs with network = host");
        }
        Optional<String> network = Optional.ofNullable(template == null ? null : template.get(NETWORK_KEY))
                .or(() -> adapter == null ? Optional.empty() : adapter.vmNetwork());
        if (network.isPresent() && !address.isLoopbackAddress()) {
            Cidr range;
            try {
                range = Cidr.parse(network.get());
            } catch (IllegalArgumentException e) {
                range = null; // a template refused at creation cannot be here; an adapter's bad value checks nothing
            }
            if (range != null && !range.contains(address)) {
                throw StratosException.invalid(field, "VM address " + address.getHostAddress() + " is outside its partition's network " + range,
                        "the agent's publishAddress must be the VM's address in " + range);
            }
        }
        return address.getHostAddress();
    }
}
