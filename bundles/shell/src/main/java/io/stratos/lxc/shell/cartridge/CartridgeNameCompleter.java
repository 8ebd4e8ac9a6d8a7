package io.stratos.lxc.shell.cartridge;

import io.stratos.lxc.api.store.Cartridge;
import io.stratos.lxc.api.store.CartridgeStore;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes the names of stored cartridges. */
@Service
public class CartridgeNameCompleter implements Completer {

    @Reference
    CartridgeStore store;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        try {
            for (Cartridge cartridge : store.list()) {
                names.getStrings().add(cartridge.name());
            }
        } catch (RuntimeException e) {
            // the store is unavailable: nothing to offer
        }
        return names.complete(session, commandLine, candidates);
    }
}
