package io.stratos.lxc.shell.cartridge;

import io.stratos.lxc.api.store.Cartridge;
import io.stratos.lxc.api.store.CartridgeImage;
import io.stratos.lxc.api.store.CartridgeManifest;
import io.stratos.lxc.api.store.CartridgeStore;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "stratos", name = "cartridge-info",
        description = "Shows a cartridge's versions and tags, or one version's digest and manifest.")
@Service
public class CartridgeInfoCommand implements Action {

    @Reference
    CartridgeStore store;

    @Argument(index = 0, name = "name", description = "The cartridge", required = true)
    @Completion(CartridgeNameCompleter.class)
    String name;

    @Argument(index = 1, name = "version", description = "A version or tag (e.g. latest); all versions when omitted")
    @Completion(CartridgeVersionCompleter.class)
    String version;

    @Override
    public Object execute() {
        if (version == null) {
            Cartridge cartridge = store.cartridge(name);
            System.out.println("Cartridge " + cartridge.name() + ", tags: " + cartridge.tags());
            ShellTable table = new ShellTable();
            table.column("Version");
            table.column("Tags");
            table.column("Size").alignRight();
            table.column("Digest");
            table.column("Uploaded");
            for (CartridgeImage image : cartridge.versions()) {
                table.addRow().addContent(image.version(), String.join(",", image.tags()), Sizes.human(image.size()),
                        image.digest(), image.uploadedAt());
            }
            table.print(System.out);
            return null;
        }
        CartridgeImage image = store.image(name, version);
        CartridgeManifest m = image.manifest();
        System.out.println("Cartridge    " + image.name() + " " + image.version()
                + (image.tags().isEmpty() ? "" : " (" + String.join(", ", image.tags()) + ")"));
        System.out.println("Digest       " + image.digest());
        System.out.println("Size         " + Sizes.human(image.size()) + " (" + image.size() + " bytes)");
        System.out.println("Uploaded     " + image.uploadedAt());
        if (m.description() != null) {
            System.out.println("Description  " + m.description());
        }
        System.out.println("Start        " + String.join(" ", m.start()));
        System.out.println("Ports        " + m.ports().stream().map(p -> p.name() + " " + p.port() + "/" + p.protocol())
                .collect(Collectors.joining(", ")));
        System.out.println("Env          " + m.env());
        if (m.resources() != null) {
            System.out.println("Resources    " + m.resources().cpuMillis() + " mCPU, " + m.resources().memoryMiB() + " MiB");
        }
        if (m.health() != null) {
            System.out.println("Health       " + (m.health().http() != null ? "HTTP " + m.health().http() : "TCP " + m.health().tcp()));
        }
        System.out.println("Runtimes     " + String.join(", ", m.runtimes()));
        if (m.appDir() != null) {
            System.out.println("App dir      " + m.appDir());
        }
        return null;
    }
}
