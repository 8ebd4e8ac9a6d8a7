package io.stratos.lxc.controller.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema: scripts {@code db/V<n>__*.sql} applied in order, each in its own transaction,
 * recorded in {@code schema_version}. A new release adds a script; it never edits an old one.
 */
final class Schema {

    private static final Logger LOG = LoggerFactory.getLogger(Schema.class);
    static final List<String> SCRIPTS = List.of("V1__controller.sql", "V2__partition_desired_vms.sql");

    private Schema() {
    }

    static int migrate(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, script VARCHAR(255) NOT NULL)");
            }
            connection.commit();
            int current = 0;
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
                if (rows.next()) {
                    current = rows.getInt(1);
                }
            }
            for (int version = current + 1; version <= SCRIPTS.size(); version++) {
                String script = SCRIPTS.get(version - 1);
                try (Statement statement = connection.createStatement()) {
                    for (String sql : read(script).split(";")) {
                        String body = sql.replaceAll("(?m)^\\s*--.*$", "").trim();
                        if (!body.isEmpty()) {
                            statement.execute(body);
                        }
                    }
                    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO schema_version (version, script) VALUES (?, ?)")) {
                        insert.setInt(1, version);
                        insert.setString(2, script);
                        insert.executeUpdate();
                    }
                    connection.commit();
                    LOG.info("Controller database migrated to version {} ({})", version, script);
                } catch (SQLException e) {
                    connection.rollback();
                    throw e;
                }
            }
            return SCRIPTS.size();
        }
    }

    private static String read(String script) {
        try (InputStream in = Schema.class.getResourceAsStream("/io/stratos/lxc/controller/db/" + script)) {
            if (in == null) {
                throw new IllegalStateException("missing schema script " + script);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read schema script " + script, e);
        }
    }
}
