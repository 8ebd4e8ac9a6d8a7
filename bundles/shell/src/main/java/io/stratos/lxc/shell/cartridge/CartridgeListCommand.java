package io.stratos.lxc.shell.cartridge;

import io.stratos.lxc.api.store.Cartridge;
import io.stratos.lxc.api.store.CartridgeImage;
import io.stratos.lxc.api.store.CartridgeStore;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "stratos", name = "cartridge-list", description = "Lists the stored cartridges and their versions.")
@Service
public class CartridgeListCommand implements Action {

    @Reference
    CartridgeStore store;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Cartridge");
        table.column("Version");
        table.column("Tags");
        table.column("Size").alignRight();
        table.column("Digest");
        table.column("Uploaded");
        for (Cartridge cartridge : store.list()) {
            for (CartridgeImage image : cartridge.versions()) {
                table.addRow().addContent(image.name(), image.version(), String.join(",", image.tags()),
                        Sizes.human(image.size()), Sizes.shortDigest(image.digest()), image.uploadedAt());
            }
        }
        table.print(System.out);
        return null;
    }
}
