package io.stratos.lxc.persistence;

import io.stratos.lxc.persistence.internal.Tables;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One component's tables in the controller database, migrated by Flyway from scripts
 * {@code V<n>__*.sql} in the owning bundle (found by scanning: a new script needs no code change).
 * Components share the database and its schema, so each keeps its own history table. A release adds a
 * script and never edits one: Flyway refuses a script whose checksum changed, and this refuses a
 * database whose schema is newer than the code.
 *
 * @param what         for messages, e.g. {@code Controller database}
 * @param owner        a class of the owning bundle: its class loader finds the scripts
 * @param location     where the scripts are, e.g. {@code io/stratos/lxc/controller/db}
 * @param historyTable the component's Flyway history table, e.g. {@code controller_schema_history}
 * @param legacyTable  the version table of the hand-written migrator before Flyway, e.g. {@code schema_version}:
 *                     a database it made is adopted at its version, so its scripts are not run again
 */
public record ComponentSchema(String what, Class<?> owner, String location, String historyTable, String legacyTable) {

    private static final Logger LOG = LoggerFactory.getLogger(ComponentSchema.class);
    private static final Pattern TABLE = Pattern.compile("[a-z_]+");

    public ComponentSchema {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(location, "location");
        for (String table : new String[] {historyTable, legacyTable}) {
            if (table == null || !TABLE.matcher(table).matches()) {
                throw new IllegalArgumentException("not a table name: " + table);
            }
        }
    }

    /**
     * Applies the scripts the database has not had yet.
     *
     * @return the schema version now in force (0 when there are no scripts)
     * @throws SchemaException when the database is newer than this code, a script that was applied has
     *                         changed, or a script fails: the component must not start on such a schema
     */
    public int migrate(DataSource dataSource) throws SchemaException {
        try {
            OptionalInt adopted;
            try (Connection connection = dataSource.getConnection()) {
                adopted = legacyVersion(connection);
            }
            Flyway flyway = Flyway.configure(owner.getClassLoader())
                    .dataSource(dataSource)
                    .locations("classpath:" + location)
                    .failOnMissingLocations(true)
                    .table(historyTable)
                    // the schema is shared: the other components' tables do not make it "someone else's"
                    .baselineOnMigrate(true)
                    .baselineVersion(String.valueOf(adopted.orElse(0)))
                    .baselineDescription(adopted.isPresent() ? "adopted from " + legacyTable : "shared schema")
                    // nothing ignored: an applied script unknown here (a newer release's) fails validation
                    .ignoreMigrationPatterns(new String[0])
                    .validateMigrationNaming(true)
                    // scripts run as written: "${" is SQL, not a placeholder
                    .placeholderReplacement(false)
                    .cleanDisabled(true)
                    .load();
            // one look before migrating (each Flyway command opens the database and logs about it)
            MigrationInfo[] before = flyway.info().all();
            int known = Arrays.stream(before).filter(m -> m.isVersioned() && m.getState().isResolved())
                    .mapToInt(m -> version(m.getVersion())).max().orElse(0);
            if (adopted.isPresent() && adopted.getAsInt() > known) {
                throw newerThanCode(adopted.getAsInt(), known);
            }
            OptionalInt future = Arrays.stream(before)
                    .filter(m -> m.getState() == MigrationState.FUTURE_SUCCESS || m.getState() == MigrationState.FUTURE_FAILED)
                    .mapToInt(m -> version(m.getVersion())).max();
            if (future.isPresent()) {
                throw newerThanCode(future.getAsInt(), known);
            }
            if (adopted.isPresent()) {
                LOG.info("{}: adopting version {} from {}", what, adopted.getAsInt(), legacyTable);
            }
            MigrateResult result = flyway.migrate();
            int version = Arrays.stream(before).filter(m -> m.isVersioned() && m.getState().isApplied())
                    .mapToInt(m -> version(m.getVersion())).max().orElse(adopted.orElse(0));
            if (result.targetSchemaVersion != null) {
                version = version(MigrationVersion.fromVersion(result.targetSchemaVersion));
            }
            LOG.info("{} at schema version {} ({} script(s) applied now)", what, version, result.migrationsExecuted);
            return version;
        } catch (FlywayException | SQLException e) {
            throw new SchemaException(what + ": " + e.getMessage(), e);
        }
    }

    /** The hand-written migrator's version, when that is all the database has. */
    private OptionalInt legacyVersion(Connection connection) throws SQLException {
        if (Tables.exists(connection, historyTable) || !Tables.exists(connection, legacyTable)) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Tables.maxVersion(connection, legacyTable));
    }

    private SchemaException newerThanCode(int database, int known) {
        return new SchemaException(what + ": schema version " + database + " is newer than this release knows (" + known
                + "): run the release that wrote it, or restore a backup taken before that release");
    }

    /** Scripts are numbered V1, V2, ...: a version is its major number. */
    private static int version(MigrationVersion version) {
        return version.getMajor().intValueExact();
    }
}
