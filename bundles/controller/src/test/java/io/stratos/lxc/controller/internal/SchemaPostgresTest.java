package io.stratos.lxc.controller.internal;

import io.stratos.lxc.testsupport.PostgresSchemas;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;

/** The controller's tables again on PostgreSQL, each test in schemas of its own (see PostgresSchemas). */
class SchemaPostgresTest extends SchemaTest {

    private PostgresSchemas postgres;

    @Override
    DataSource emptyDatabase() throws Exception {
        if (postgres == null) {
            postgres = PostgresSchemas.fromEnvironment();
        }
        return postgres.newSchema("controller_schema_test");
    }

    @AfterEach
    void dropPostgresSchemas() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }
}
