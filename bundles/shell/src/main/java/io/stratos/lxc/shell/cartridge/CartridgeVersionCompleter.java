package io.stratos.lxc.shell.cartridge;

import io.stratos.lxc.api.store.Cartridge;
import io.stratos.lxc.api.store.CartridgeImage;
import io.stratos.lxc.api.store.CartridgeStore;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes the versions of the cartridge named by the command's first argument. */
@Service
public class CartridgeVersionCompleter implements Completer {

    @Reference
    CartridgeStore store;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter versions = new StringsCompleter();
        String name = firstArgument(commandLine);
        if (name != null) {
            try {
                Cartridge cartridge = store.cartridge(name);
                for (CartridgeImage image : cartridge.versions()) {
                    versions.getStrings().add(image.version());
                }
            } catch (RuntimeException e) {
                // unknown cartridge or store unavailable: nothing to offer
            }
        }
        return versions.complete(session, commandLine, candidates);
    }

    /** The first word after the command that is not an option, if it comes before the word being completed. */
    static String firstArgument(CommandLine commandLine) {
        String[] words = commandLine.getArguments();
        for (int i = 1; i < words.length && i < commandLine.getCursorArgumentIndex(); i++) {
            if (!words[i].startsWith("-")) {
                return words[i];
            }
        }
        return null;
    }
}
