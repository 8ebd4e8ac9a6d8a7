package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The bundles' boundaries, read from the manifests the build wrote: a bundle exports only what another bundle
 * imports, every exported package carries its own version, and only the api is shared, but for the exceptions
 * named with their reasons (the agent's status for its shell; its runtime SPI for the runtime bundles).
 */
public class BundleBoundariesIT {

    /** Non-api packages one bundle may import from another, with the reason. */
    private static final Map<String, String> ALLOWED_NON_API = Map.of(
            "io.stratos.lxc.agent.status", "the agent shell shows the agent's own status view",
            "io.stratos.lxc.agent.runtime", "the agent's container runtime SPI: the Docker runtime is a bundle of its own, installed on demand",
            "io.stratos.lxc.agent.exec", "running and tailing host commands, which a runtime bundle needs as the agent's own runtime does",
            "io.stratos.lxc.agent.net", "the VM's bridge and published ports, which a runtime bundle shares with the agent",
            "io.stratos.lxc.persistence", "schema migration, shared by the components that keep tables (a bundle of its own)");

    private static final Map<String, Manifest> BUNDLES = new TreeMap<>();

    record Manifest(Path jar, Set<String> exports, Set<String> imports, Set<String> versionedByPackageInfo) {
    }

    @BeforeClass
    public static void readManifests() throws IOException {
        Path bundles = Path.of(System.getProperty("stratos.bundles.dir", "../bundles"));
        try (Stream<Path> dirs = Files.list(bundles)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                Path target = dir.resolve("target");
                if (!Files.isDirectory(target)) {
                    continue;
                }
                try (Stream<Path> jars = Files.list(target)) {
                    for (Path jar : jars.filter(BundleBoundariesIT::isBundleJar).toList()) {
                        BUNDLES.put(dir.getFileName().toString(), read(jar));
                    }
                }
            }
        }
        assertTrue("no bundles built under " + bundles.toAbsolutePath(), BUNDLES.size() > 10);
    }

    @Test
    public void aBundleExportsOnlyWhatAnotherBundleImports() {
        List<String> unused = new ArrayList<>();
        BUNDLES.forEach((name, bundle) -> {
            for (String exported : bundle.exports()) {
                boolean imported = BUNDLES.entrySet().stream()
                        .anyMatch(other -> !other.getKey().equals(name) && other.getValue().imports().contains(exported));
                if (!imported) {
                    unused.add(name + " exports " + exported);
                }
            }
        });
        assertEquals("exported but imported by no other bundle", List.of(), unused);
    }

    @Test
    public void everyExportedPackageIsVersionedInItsPackageInfo() {
        List<String> unversioned = new ArrayList<>();
        BUNDLES.forEach((name, bundle) -> bundle.exports().stream()
                .filter(p -> !bundle.versionedByPackageInfo().contains(p))
                .forEach(p -> unversioned.add(name + ": " + p)));
        assertEquals("exported packages without a package-info.java carrying @Version", List.of(), unversioned);
    }

    @Test
    public void onlyTheApiIsSharedBetweenBundles() {
        List<String> crossings = new ArrayList<>();
        BUNDLES.forEach((name, bundle) -> bundle.imports().stream()
                .filter(p -> p.startsWith("io.stratos.lxc.") && !p.startsWith("io.stratos.lxc.api"))
                .filter(p -> !bundle.exports().contains(p)) // its own export, imported too so that it can be substituted
                .filter(p -> !ALLOWED_NON_API.containsKey(p))
                .forEach(p -> crossings.add(name + " imports " + p)));
        assertEquals("bundles importing another bundle's implementation", List.of(), crossings);
        assertFalse("the api imports nothing of ours", BUNDLES.get("api").imports().stream()
                .anyMatch(p -> p.startsWith("io.stratos.lxc.") && !p.startsWith("io.stratos.lxc.api")));
    }

    private static boolean isBundleJar(Path jar) {
        String name = jar.getFileName().toString();
        return name.endsWith(".jar") && !name.endsWith("-sources.jar") && !name.endsWith("-tests.jar");
    }

    private static Manifest read(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Attributes main = file.getManifest().getMainAttributes();
            Set<String> exports = ours(main.getValue("Export-Package"));
            Set<String> versioned = new TreeSet<>();
            for (String p : exports) {
                if (file.getEntry(p.replace('.', '/') + "/package-info.class") != null) {
                    versioned.add(p);
                }
            }
            return new Manifest(jar, exports, ours(main.getValue("Import-Package")), versioned);
        }
    }

    /** The package names of an OSGi header, ours only (commas inside quoted attributes are not separators). */
    private static Set<String> ours(String header) {
        Set<String> names = new TreeSet<>();
        if (header == null) {
            return names;
        }
        StringBuilder clause = new StringBuilder();
        boolean quoted = false;
        for (char c : (header + ",").toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                String name = clause.toString().split(";")[0].trim();
                if (name.startsWith("io.stratos.lxc.")) {
                    names.add(name);
                }
                clause.setLength(0);
            } else {
                clause.append(c);
            }
        }
        return names;
    }
}
