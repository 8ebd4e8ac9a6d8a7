package io.stratos.lxc.iaas.hollow;

import io.stratos.lxc.api.iaas.VmRef;
import io.stratos.lxc.api.iaas.VmSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hand-over to the simulator: one line per event, appended and never rewritten, so the simulator can follow
 * the file like a log. {@code create <vmId> <joinToken> <controllerUrl> <partition> <cpuMillis> <memoryMiB>} and
 * {@code destroy <vmId>}. The file holds join tokens: it is created readable by its owner only.
 */
final class HollowSpool {

    private final Path file;
    private final Map<String, VmRef> live = new LinkedHashMap<>();

    HollowSpool(Path file) {
        this.file = file;
        if (Files.isRegularFile(file)) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] f = line.split(" ");
                    if (f.length >= 2 && f[0].equals("create")) {
                        live.put(f[1], new VmRef(f[1], "hollow-" + f[1]));
                    } else if (f.length >= 2 && f[0].equals("destroy")) {
                        live.remove(f[1]);
                    }
                }
            } catch (IOException e) {
                // an unreadable spool lists nothing; creating VMs says what is wrong
            }
        }
    }

    Path file() {
        return file;
    }

    synchronized VmRef create(VmSpec spec) throws IOException {
        append("create " + spec.vmId() + " " + spec.joinToken() + " " + spec.controllerUrl() + " " + spec.partition()
                + " " + spec.capacity().cpuMillis() + " " + spec.capacity().memoryMiB());
        VmRef ref = new VmRef(spec.vmId(), "hollow-" + spec.vmId());
        live.put(spec.vmId(), ref);
        return ref;
    }

    synchronized void destroy(VmRef vm) throws IOException {
        append("destroy " + vm.vmId());
        live.remove(vm.vmId());
    }

    synchronized List<VmRef> list() {
        return new ArrayList<>(live.values());
    }

    private void append(String line) throws IOException {
        if (!Files.exists(file)) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
}
