package io.stratos.lxc.controller.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.iaas.IaasAdapter;
import java.util.OptionalInt;

/**
 * What a new partition must satisfy beyond its own fields: a partition that can never work (a cartridge the store
 * does not have, more VMs than its adapter can ever give) is refused at once rather than retried forever.
 */
final class PartitionChecks {

    private PartitionChecks() {
    }

    static void withinAdapterLimit(IaasAdapter adapter, int minVms) {
        OptionalInt limit = adapter.maxVms();
        if (limit.isPresent() && minVms > limit.getAsInt()) {
            throw StratosException.invalid("minVms", "minVms " + minVms + " is more than adapter '" + adapter.id()
                    + "' can ever give", "adapter '" + adapter.id() + "' gives at most " + limit.getAsInt() + " VMs"
                    + ("local".equals(adapter.id()) ? " (maxVms in etc/io.stratos.lxc.iaas.local.cfg)" : ""));
        }
    }

    static void cartridgeExists(CartridgeResolver resolver, String cartridge) {
        if (resolver == null) {
            throw StratosException.unavailable("the cartridge store is not available to check cartridge '" + cartridge + "'",
                    "check stratos:status and retry");
        }
        if (!resolver.exists(cartridge)) {
            throw StratosException.invalid("cartridge", "no cartridge '" + cartridge + "' in the store",
                    "upload it first (PUT /cartridges/" + cartridge + "/versions/<version>) or list them with GET /cartridges");
        }
    }
}
