package io.stratos.lxc.controller.internal;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The controller's tables again on PostgreSQL: the database named by {@code STRATOS_TEST_POSTGRES_URL}
 * ({@code ./stratos test} starts one on 127.0.0.1:15432), in schemas of this test's own, dropped after it.
 */
class SchemaPostgresTest extends SchemaTest {

    private PGSimpleDataSource admin;
    private final List<String> schemas = new ArrayList<>();

    @Override
    DataSource emptyDatabase() throws Exception {
        String url = System.getenv("STRATOS_TEST_POSTGRES_URL");
        Assumptions.assumeTrue(url != null && !url.isBlank(),
                "STRATOS_TEST_POSTGRES_URL is not set: run ./stratos test, which starts PostgreSQL for these tests");
        admin = dataSource(url, null);
        String schema = "controller_schema_test_" + Long.toHexString(System.nanoTime());
        try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        schemas.add(schema);
        return dataSource(url, schema);
    }

    private static PGSimpleDataSource dataSource(String url, String schema) {
        PGSimpleDataSource postgres = new PGSimpleDataSource();
        postgres.setURL(url);
        postgres.setUser(System.getenv().getOrDefault("STRATOS_TEST_POSTGRES_USER", "stratos"));
        postgres.setPassword(System.getenv().getOrDefault("STRATOS_TEST_POSTGRES_PASSWORD", "stratos"));
        if (schema != null) {
            postgres.setCurrentSchema(schema);
        }
        return postgres;
    }

    @AfterEach
    void dropSchemas() throws Exception {
        for (String schema : schemas) {
            try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }
}
