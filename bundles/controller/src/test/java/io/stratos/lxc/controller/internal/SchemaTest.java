package io.stratos.lxc.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.persistence.SchemaException;
import io.stratos.lxc.testsupport.Sql;
import io.stratos.lxc.testsupport.H2Databases;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The controller's tables: on the embedded H2 here, on PostgreSQL in {@link SchemaPostgresTest}. */
class SchemaTest {

    DataSource dataSource;

    /** An empty database. */
    DataSource emptyDatabase() throws Exception {
        return H2Databases.empty("schema");
    }

    @BeforeEach
    void setUp() throws Exception {
        dataSource = emptyDatabase();
    }

    @Test
    void everyScriptInTheFolderIsFoundAndAppliedOnce() throws Exception {
        int newest;
        try (Stream<Path> scripts = Files.list(Path.of(Schema.class.getResource("/io/stratos/lxc/controller/db").toURI()))) {
            newest = scripts.map(p -> p.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
        }

        assertThat(Schema.migrate(dataSource)).isEqualTo(newest);
        assertThat(Schema.migrate(dataSource)).isEqualTo(newest);
    }

    @Test
    void aDatabaseOfTheMigratorBeforeFlywayIsAdoptedAtItsVersionAndKeepsItsRows() throws Exception {
        // what the hand-written migrator left at version 2: V1 and V2 applied, recorded in schema_version
        execute(script("V1__controller.sql"));
        execute(script("V2__partition_desired_vms.sql"));
        execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, script VARCHAR(255) NOT NULL)",
                "INSERT INTO schema_version (version, script) VALUES (1, 'V1__controller.sql'), "
                        + "(2, 'V2__partition_desired_vms.sql')",
                "INSERT INTO partitions (name, cartridge, adapter, min_vms, max_vms, cpu_millis, memory_mib, template, "
                        + "desired_vms) VALUES ('web', 'static-httpd', 'local', 1, 4, 1000, 1024, '{}', 2)");

        // V1 again would fail: its tables exist
        int version = Schema.migrate(dataSource);

        assertThat(version).isEqualTo(Schema.migrate(emptyDatabase()));
        assertThat(count("SELECT COUNT(*) FROM partitions WHERE desired_vms = 2")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM artifact_versions")).isZero();
    }

    @Test
    void aDatabaseNewerThanTheControllerIsRefused() throws Exception {
        execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, script VARCHAR(255) NOT NULL)",
                "INSERT INTO schema_version (version, script) VALUES (999, 'V999__from_the_future.sql')");

        assertThatThrownBy(() -> Schema.migrate(dataSource)).isInstanceOf(SchemaException.class)
                .hasMessageStartingWith("Controller database: schema version 999 is newer than this release knows");
    }

    /** A script's statements, split as the migrator before Flyway did (enough for these scripts). */
    static String[] script(String name) throws IOException {
        try (InputStream in = Schema.class.getResourceAsStream("/io/stratos/lxc/controller/db/" + name)) {
            return Stream.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split(";"))
                    .map(s -> s.replaceAll("(?m)^\\s*--.*$", "").trim()).filter(s -> !s.isEmpty()).toArray(String[]::new);
        }
    }

    void execute(String... sql) throws SQLException {
        Sql.execute(dataSource, sql);
    }

    int count(String query) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
