package io.stratos.lxc.persistence;

import io.stratos.lxc.testsupport.PostgresSchemas;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;

/** Every migration case again on PostgreSQL, each test in schemas of its own (see PostgresSchemas). */
class ComponentSchemaPostgresTest extends ComponentSchemaTest {

    private PostgresSchemas postgres;

    @Override
    DataSource emptyDatabase() throws Exception {
        if (postgres == null) {
            postgres = PostgresSchemas.fromEnvironment();
        }
        return postgres.newSchema("persistence_test");
    }

    @AfterEach
    void dropPostgresSchemas() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }
}
