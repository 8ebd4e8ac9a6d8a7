package io.stratos.lxc.shell.controller;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.controller.Subscription;
import io.stratos.lxc.api.controller.SubscriptionSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "stratos", name = "subscribe", description = "Subscribes to a cartridge under a unique alias.")
@Service
public class SubscribeCommand implements Action {

    @Argument(index = 0, name = "alias", description = "Unique alias (a DNS label); the router serves it as <alias>.<domain>", required = true)
    String alias;

    @Argument(index = 1, name = "cartridge", description = "Cartridge, optionally with a version: static-httpd or static-httpd:1.0", required = true)
    String cartridge;

    @Option(name = "--min", description = "Minimum processes (default 1)")
    Integer min;

    @Option(name = "--max", description = "Maximum processes (default max(min, 10))")
    Integer max;

    @Option(name = "--policy", description = "Autoscale policy name")
    String policy;

    @Option(name = "--env", description = "Environment variable KEY=VALUE (repeatable)", multiValued = true)
    List<String> env;

    @Option(name = "--tenant", description = "Tenant the subscription belongs to (default: default)")
    String tenant = "default";

    @Reference
    CloudController controller;

    @Override
    public Object execute() {
        Map<String, String> variables = new LinkedHashMap<>();
        if (env != null) {
            for (String pair : env) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw StratosException.invalid("env", "'" + pair + "' is not KEY=VALUE", "e.g. --env GREETING=hello");
                }
                variables.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        int colon = cartridge.indexOf(':');
        String name = colon < 0 ? cartridge : cartridge.substring(0, colon);
        String version = colon < 0 ? null : cartridge.substring(colon + 1);
        Subscription s = controller.subscribe(tenant, new SubscriptionSpec(alias, name, version, policy, min, max, variables));
        System.out.println("Subscribed " + s.alias() + " to " + s.cartridge() + ":" + s.version() + " (" + s.minProcesses()
                + ".." + s.maxProcesses() + " processes), endpoint " + s.endpoint());
        return null;
    }
}
