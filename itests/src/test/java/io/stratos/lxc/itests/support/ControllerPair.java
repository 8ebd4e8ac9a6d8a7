package io.stratos.lxc.itests.support;

import static org.junit.Assert.assertEquals;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Assume;

/**
 * Two built controller distributions on one schema of the tests' real PostgreSQL (as {@code ./stratos up --ha} sets
 * them up): the same database, both URLs given to the agents, and, on one host, the same local VMs and cartridge store.
 * Skips the calling test (an assumption) when {@code STRATOS_TEST_POSTGRES_URL} is not set.
 */
public final class ControllerPair implements AutoCloseable {

    public final ControllerProcess a;
    public final ControllerProcess b;
    private final String schema;

    private ControllerPair(ControllerProcess a, ControllerProcess b, String schema) {
        this.a = a;
        this.b = b;
        this.schema = schema;
    }

    public static ControllerPair create(String name) throws Exception {
        String url = System.getenv("STRATOS_TEST_POSTGRES_URL");
        Assume.assumeTrue("STRATOS_TEST_POSTGRES_URL is not set: run ./stratos test", url != null && !url.isBlank());
        String schema = name.replaceAll("[^a-z0-9]", "_") + "_" + Long.toHexString(System.nanoTime());
        psql("CREATE SCHEMA " + schema);
        String jdbc = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        Path shared = Files.createTempDirectory("stratos-" + name + "-shared");
        // the containers' root (an unprivileged, shifted uid) must reach the VMs' directories below it
        Files.setPosixFilePermissions(shared, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        ControllerProcess a = ControllerProcess.create(name + "-a");
        ControllerProcess b = ControllerProcess.create(name + "-b");
        String urls = "http://127.0.0.1:" + a.httpPort() + "/stratos,http://127.0.0.1:" + b.httpPort() + "/stratos";
        for (ControllerProcess c : List.of(a, b)) {
            c.vmsDirectory(shared.resolve("iaas-local"));
            // written before the first start, so the feature's own file (H2) is never installed: every key is needed
            c.distribution()
                    .configure("org.ops4j.datasource-stratos.cfg", "dataSourceName", "stratos")
                    .configure("org.ops4j.datasource-stratos.cfg", "pool", "hikari")
                    .configure("org.ops4j.datasource-stratos.cfg", "xa", "false")
                    .configure("org.ops4j.datasource-stratos.cfg", "hikari.maximumPoolSize", "8")
                    .configure("org.ops4j.datasource-stratos.cfg", "osgi.jdbc.driver.class", "org.postgresql.Driver")
                    .configure("org.ops4j.datasource-stratos.cfg", "url", jdbc)
                    .configure("org.ops4j.datasource-stratos.cfg", "user", env("STRATOS_TEST_POSTGRES_USER", "stratos"))
                    .configure("org.ops4j.datasource-stratos.cfg", "password", env("STRATOS_TEST_POSTGRES_PASSWORD", "stratos"))
                    .configure("io.stratos.lxc.ha.cfg", "nodeName", c == a ? "controller-a" : "controller-b")
                    .configure("io.stratos.lxc.ha.cfg", "url", "http://127.0.0.1:" + c.httpPort() + "/stratos")
                    // the agents are given both controllers, and follow the active one
                    .configure("io.stratos.lxc.controller.cfg", "controllerUrl", urls)
                    // one host: both controllers see the same local VMs, cartridge images and artifacts
                    .configure("io.stratos.lxc.iaas.local.cfg", "vmsDirectory", shared.resolve("iaas-local").toString())
                    .configure("io.stratos.lxc.iaas.local.cfg", "portRangeStart", String.valueOf(a.vmPortRangeStart()))
                    .configure("io.stratos.lxc.store.cfg", "directory", shared.resolve("store").toString())
                    .configure("io.stratos.lxc.store.cfg", "preloadDirectory", "${karaf.home}/cartridges");
        }
        return new ControllerPair(a, b, schema);
    }

    /** "active" or "standby", as the controller's {@code GET /status} says. */
    public static String role(ControllerProcess controller) throws Exception {
        return Json.tree(controller.get("/status")).path("role").textValue();
    }

    /** The other one of the pair. */
    public ControllerProcess other(ControllerProcess controller) {
        return controller == a ? b : a;
    }

    /** The lease row as {@code holder epoch last_write_epoch}. */
    public String leaseRow() throws Exception {
        return psql("SELECT holder || ' ' || epoch || ' ' || last_write_epoch FROM " + schema + ".controller_lease").trim();
    }

    /**
     * Restarts the tests' PostgreSQL ({@code scripts/host-setup.sh} runs it from /var/lib/stratos-test-postgres), or,
     * where it runs elsewhere, ends every connection of this pair's controllers as a restart would.
     */
    public void restartDatabase() throws Exception {
        Path data = Path.of("/var/lib/stratos-test-postgres/data");
        if (Files.isDirectory(data)) {
            Path bin = Files.list(Path.of("/usr/lib/postgresql")).sorted().reduce((first, second) -> second).orElseThrow()
                    .resolve("bin/pg_ctl");
            // the server's own output to its log, not to this pipe (it would hold the pipe open); its options as before
            Process p = new ProcessBuilder("runuser", "-u", "postgres", "--", bin.toString(), "-D", data.toString(), "-w",
                    "-m", "fast", "-l", data.getParent().resolve("log").toString(), "restart").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals("pg_ctl restart: " + out, 0, p.waitFor());
        } else {
            psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query NOT ILIKE "
                    + "'%pg_stat_activity%' AND usename = current_user");
        }
    }

    /** Lets both run again (a paused one too), lets the active one delete what the test made, then stops both. */
    @Override
    public void close() throws Exception {
        for (ControllerProcess c : List.of(a, b)) {
            c.distribution().signal("CONT");
        }
        for (ControllerProcess c : List.of(a, b)) {
            try {
                if ("active".equals(role(c))) {
                    c.close();
                }
            } catch (Exception e) {
                // down already
            }
        }
        a.close();
        b.close();
        psql("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    private static String env(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : value;
    }

    /** Runs SQL in the tests' PostgreSQL with psql; returns what it printed (unaligned, tuples only). */
    private static String psql(String sql) throws Exception {
        URI url = URI.create(System.getenv("STRATOS_TEST_POSTGRES_URL").substring("jdbc:".length()));
        ProcessBuilder builder = new ProcessBuilder("psql", "-h", url.getHost(), "-p", String.valueOf(url.getPort()),
                "-U", env("STRATOS_TEST_POSTGRES_USER", "stratos"), "-d", url.getPath().substring(1), "-At", "-v",
                "ON_ERROR_STOP=1", "-c", sql).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", env("STRATOS_TEST_POSTGRES_PASSWORD", "stratos"));
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals("psql " + sql + ": " + out, 0, p.waitFor());
        return out;
    }
}
