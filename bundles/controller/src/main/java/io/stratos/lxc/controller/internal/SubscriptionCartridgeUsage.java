package io.stratos.lxc.controller.internal;

import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.controller.Subscription;
import io.stratos.lxc.api.store.CartridgeUsage;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Tells the store which subscriptions use a cartridge version, so it refuses to delete it (409). */
@Component(service = CartridgeUsage.class)
public class SubscriptionCartridgeUsage implements CartridgeUsage {

    @Reference
    CloudController controller;

    @Override
    public Set<String> subscriptionsUsing(String cartridge, String version) {
        Set<String> aliases = new TreeSet<>();
        try {
            for (Subscription s : controller.subscriptions()) {
                if (s.cartridge().equals(cartridge) && s.version().equals(version)) {
                    aliases.add(s.alias());
                }
            }
        } catch (RuntimeException e) {
            // must not throw (see CartridgeUsage); an unreadable controller means "unknown", not "unused"
            aliases.add("(controller unavailable: " + e.getMessage() + ")");
        }
        return aliases;
    }
}
