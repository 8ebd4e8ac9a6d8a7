package io.stratos.lxc.controller.internal;

import io.stratos.lxc.testsupport.PostgresSchemas;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;

/** Every controller behaviour again, persisted in PostgreSQL, each test in schemas of its own (see PostgresSchemas). */
class ControllerCorePostgresTest extends ControllerCoreTest {

    private PostgresSchemas postgres;

    @Override
    DataSource emptyDatabase() throws Exception {
        if (postgres == null) {
            postgres = PostgresSchemas.fromEnvironment();
        }
        return postgres.newSchema("controller_test");
    }

    @AfterEach
    void dropPostgresSchemas() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }
}
