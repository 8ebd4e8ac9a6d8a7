package io.stratos.lxc.testsupport;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Fresh PostgreSQL schemas for tests, in the database named by {@code STRATOS_TEST_POSTGRES_URL} ({@code ./stratos
 * test} starts one on 127.0.0.1:15432; user and password from {@code STRATOS_TEST_POSTGRES_USER}/{@code _PASSWORD},
 * default stratos/stratos). Each schema is the test's own, so tests neither disturb nor are disturbed by others
 * using the same database at the same time; {@link #close()} drops them. Without the variable the test is skipped.
 */
public final class PostgresSchemas implements AutoCloseable {

    private final String url;
    private final List<String> created = new ArrayList<>();

    private PostgresSchemas(String url) {
        this.url = url;
    }

    /** Skips the calling test (an assumption, not a failure) when no test database is configured. */
    public static PostgresSchemas fromEnvironment() {
        String url = System.getenv("STRATOS_TEST_POSTGRES_URL");
        Assumptions.assumeTrue(url != null && !url.isBlank(),
                "STRATOS_TEST_POSTGRES_URL is not set: run ./stratos test, which starts PostgreSQL for these tests");
        return new PostgresSchemas(url);
    }

    /** A new empty schema named {@code <prefix>_<unique>}, and a data source whose connections work in it. */
    public DataSource newSchema(String prefix) throws SQLException {
        String schema = prefix + "_" + Long.toHexString(System.nanoTime());
        try (Connection c = dataSource(null).getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        created.add(schema);
        return dataSource(schema);
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = dataSource(null).getConnection(); Statement s = c.createStatement()) {
            for (String schema : created) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
        created.clear();
    }

    private PGSimpleDataSource dataSource(String schema) {
        PGSimpleDataSource postgres = new PGSimpleDataSource();
        postgres.setURL(url);
        postgres.setUser(System.getenv().getOrDefault("STRATOS_TEST_POSTGRES_USER", "stratos"));
        postgres.setPassword(System.getenv().getOrDefault("STRATOS_TEST_POSTGRES_PASSWORD", "stratos"));
        if (schema != null) {
            postgres.setCurrentSchema(schema);
        }
        return postgres;
    }
}
