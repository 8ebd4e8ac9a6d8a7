package io.stratos.lxc.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import io.stratos.lxc.testsupport.Sql;
import io.stratos.lxc.testsupport.H2Databases;

import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Migration of one component's tables: on the embedded H2 here, on PostgreSQL in {@link ComponentSchemaPostgresTest}. */
class ComponentSchemaTest {

    DataSource dataSource;

    /** An empty database. */
    DataSource emptyDatabase() throws Exception {
        return H2Databases.empty("persistence");
    }

    @BeforeEach
    void setUp() throws Exception {
        dataSource = emptyDatabase();
    }

    static ComponentSchema schema(String scripts) {
        return new ComponentSchema("Notes database", ComponentSchemaTest.class, "io/stratos/lxc/persistence/" + scripts,
                "notes_schema_history", "notes_schema_version");
    }

    @Test
    void aFreshDatabaseGetsEveryScriptOnceAndSemicolonsInLiteralsAndCommentsAreNotStatementEnds() throws Exception {
        assertThat(schema("three").migrate(dataSource)).isEqualTo(3);
        assertThat(schema("three").migrate(dataSource)).isEqualTo(3);

        assertThat(rows("SELECT text, tag FROM notes ORDER BY id"))
                .containsExactly("one; two|none", "it's -- not a comment;|none");
        assertThat(rows("SELECT \"version\" FROM \"notes_schema_history\" WHERE \"success\" AND \"version\" IS NOT NULL ORDER BY \"installed_rank\""))
                .containsExactly("1", "2", "3");
    }

    @Test
    void componentsShareTheSchemaEachWithItsOwnHistory() throws Exception {
        ComponentSchema other = new ComponentSchema("Other tables", ComponentSchemaTest.class,
                "io/stratos/lxc/persistence/other", "other_schema_history", "other_schema_version");
        assertThat(other.migrate(dataSource)).isEqualTo(1);

        // the schema is not empty any more (others, other_schema_history): baselined at 0, every script still runs
        assertThat(schema("three").migrate(dataSource)).isEqualTo(3);
        assertThat(rows("SELECT COUNT(*) FROM notes")).containsExactly("2");
        assertThat(other.migrate(dataSource)).isEqualTo(1);
    }

    @Test
    void aDatabaseOfTheHandWrittenMigratorIsAdoptedAtItsVersionAndOnlyNewerScriptsRun() throws Exception {
        // what the migrator before Flyway left: scripts 1 and 2 applied, recorded in its (version, script) table
        execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text VARCHAR(255) NOT NULL)",
                "INSERT INTO notes (id, text) VALUES (1, 'kept')",
                "CREATE TABLE notes_schema_version (version INTEGER PRIMARY KEY, script VARCHAR(255) NOT NULL)",
                "INSERT INTO notes_schema_version (version, script) VALUES (1, 'V1__first.sql'), (2, 'V2__second.sql')");

        // V1 or V2 again would fail: the table exists, the row with id 1 exists
        assertThat(schema("three").migrate(dataSource)).isEqualTo(3);

        assertThat(rows("SELECT text, tag FROM notes ORDER BY id")).containsExactly("kept|none");
        assertThat(rows("SELECT \"version\", \"type\" FROM \"notes_schema_history\" WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\""))
                .containsExactly("2|BASELINE", "3|SQL");
        assertThat(schema("three").migrate(dataSource)).isEqualTo(3);
    }

    @Test
    void aDatabaseOfTheHandWrittenMigratorNewerThanTheCodeIsRefused() throws Exception {
        execute("CREATE TABLE notes_schema_version (version INTEGER PRIMARY KEY, script VARCHAR(255) NOT NULL)",
                "INSERT INTO notes_schema_version (version, script) VALUES (1, 'V1__first.sql'), (2, 'V2__second.sql'), "
                        + "(3, 'V3__third.sql'), (4, 'V4__fourth.sql')");

        assertThatThrownBy(() -> schema("three").migrate(dataSource)).isInstanceOf(SchemaException.class)
                .hasMessage("Notes database: schema version 4 is newer than this release knows (3): run the release "
                        + "that wrote it, or restore a backup taken before that release");
    }

    @Test
    void aDatabaseNewerThanTheCodeIsRefusedAndLeftAsItIs() throws Exception {
        schema("three").migrate(dataSource);

        assertThatThrownBy(() -> schema("two").migrate(dataSource)).isInstanceOf(SchemaException.class)
                .hasMessageStartingWith("Notes database: schema version 3 is newer than this release knows (2)");
        assertThat(rows("SELECT COUNT(*) FROM \"notes_schema_history\" WHERE \"version\" IS NOT NULL")).containsExactly("3");
    }

    @Test
    void aChangedScriptIsRefused() throws Exception {
        schema("three").migrate(dataSource);

        assertThatThrownBy(() -> schema("changed").migrate(dataSource)).isInstanceOf(SchemaException.class)
                .hasMessageStartingWith("Notes database: ")
                .hasMessageContaining("checksum mismatch for migration version 1");
    }

    @Test
    void aMissingScriptFolderIsRefused() {
        assertThatThrownBy(() -> schema("nowhere").migrate(dataSource)).isInstanceOf(SchemaException.class)
                .hasMessageContaining("nowhere");
    }

    void execute(String... sql) throws SQLException {
        Sql.execute(dataSource, sql);
    }

    /** Each row's columns joined by '|'. (Flyway quotes its history table's names, lower case on H2 too, and on H2 records the table's creation in a row without a version.) */
    List<String> rows(String query) throws SQLException {
        return Sql.rows(dataSource, query);
    }
}
