package io.stratos.lxc.controller.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema for every component that keeps tables in the controller database: scripts
 * {@code V<n>__*.sql} applied in order, each in its own transaction, recorded in the component's own
 * version table. A new release adds a script; it never edits an old one.
 */
public final class SchemaMigrations {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);
    private static final Pattern TABLE = Pattern.compile("[a-z_]+");

    private SchemaMigrations() {
    }

    /**
     * Applies the scripts not yet recorded in {@code versionTable}.
     *
     * @param owner     a class of the owning bundle: its class loader reads the scripts
     * @param directory where the scripts are, e.g. {@code /io/stratos/lxc/controller/db/}
     * @param what      for the log, e.g. {@code Controller database}
     * @return the schema version now in force
     */
    public static int migrate(DataSource dataSource, String versionTable, Class<?> owner, String directory,
                              List<String> scripts, String what) throws SQLException {
        if (!TABLE.matcher(versionTable).matches()) {
            throw new IllegalArgumentException("not a table name: " + versionTable);
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS " + versionTable
                        + " (version INTEGER PRIMARY KEY, script VARCHAR(255) NOT NULL)");
            }
            connection.commit();
            int current = 0;
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT COALESCE(MAX(version), 0) FROM " + versionTable)) {
                if (rows.next()) {
                    current = rows.getInt(1);
                }
            }
            for (int version = current + 1; version <= scripts.size(); version++) {
                String script = scripts.get(version - 1);
                try (Statement statement = connection.createStatement()) {
                    for (String sql : read(owner, directory + script).split(";")) {
                        String body = sql.replaceAll("(?m)^\\s*--.*$", "").trim();
                        if (!body.isEmpty()) {
                            statement.execute(body);
                        }
                    }
                    try (PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO " + versionTable + " (version, script) VALUES (?, ?)")) {
                        insert.setInt(1, version);
                        insert.setString(2, script);
                        insert.executeUpdate();
                    }
                    connection.commit();
                    LOG.info("{} migrated to version {} ({})", what, version, script);
                } catch (SQLException e) {
                    connection.rollback();
                    throw e;
                }
            }
            return scripts.size();
        }
    }

    private static String read(Class<?> owner, String resource) {
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing schema script " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read schema script " + resource, e);
        }
    }
}
