package io.stratos.lxc.shell.cartridge;

import io.stratos.lxc.api.store.CartridgeStore;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "stratos", name = "cartridge-delete",
        description = "Deletes a cartridge version; refused while a subscription uses it.")
@Service
public class CartridgeDeleteCommand implements Action {

    @Reference
    CartridgeStore store;

    @Argument(index = 0, name = "name", description = "The cartridge", required = true)
    @Completion(CartridgeNameCompleter.class)
    String name;

    @Argument(index = 1, name = "version", description = "The version (not a tag)", required = true)
    @Completion(CartridgeVersionCompleter.class)
    String version;

    @Override
    public Object execute() {
        store.delete(name, version);
        System.out.println("Deleted cartridge " + name + " " + version);
        return null;
    }
}
