package io.stratos.lxc.persistence.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Looks at tables of the connection's current schema, whatever case the database keeps names in. */
public final class Tables {

    private Tables() {
    }

    public static boolean exists(Connection connection, String table) throws SQLException {
        String schema = connection.getSchema();
        try (ResultSet tables = connection.getMetaData().getTables(connection.getCatalog(), schema, null,
                new String[] {"TABLE"})) {
            while (tables.next()) {
                if (tables.getString("TABLE_NAME").equalsIgnoreCase(table)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The highest {@code version} of the hand-written migrator's table; 0 when it is empty. */
    public static int maxVersion(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COALESCE(MAX(version), 0) FROM " + table)) {
            return rows.next() ? rows.getInt(1) : 0;
        }
    }
}
