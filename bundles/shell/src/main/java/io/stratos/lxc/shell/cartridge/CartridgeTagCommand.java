package io.stratos.lxc.shell.cartridge;

import io.stratos.lxc.api.store.Cartridge;
import io.stratos.lxc.api.store.CartridgeStore;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "stratos", name = "cartridge-tag", description = "Points a tag (e.g. stable) at a cartridge version, or removes it.")
@Service
public class CartridgeTagCommand implements Action {

    @Reference
    CartridgeStore store;

    @Argument(index = 0, name = "name", description = "The cartridge", required = true)
    @Completion(CartridgeNameCompleter.class)
    String name;

    @Argument(index = 1, name = "tag", description = "The tag", required = true)
    String tag;

    @Argument(index = 2, name = "version", description = "The version the tag points at (not needed with --remove)")
    String version;

    @Option(name = "--remove", description = "Remove the tag")
    boolean remove;

    @Override
    public Object execute() {
        Cartridge cartridge = remove ? store.untag(name, tag) : store.tag(name, tag, version);
        System.out.println("Cartridge " + cartridge.name() + " tags: " + cartridge.tags());
        return null;
    }
}
