package io.stratos.lxc.controller.internal;

import io.stratos.lxc.testsupport.PostgresSchemas;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;

/** The leader lease again on PostgreSQL, the database several controllers share in production. */
class ControllerLeasePostgresTest extends ControllerLeaseTest {

    private PostgresSchemas postgres;

    @Override
    DataSource emptyDatabase() throws Exception {
        if (postgres == null) {
            postgres = PostgresSchemas.fromEnvironment();
        }
        return postgres.newSchema("controller_lease_test");
    }

    @AfterEach
    void dropPostgresSchemas() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }
}
