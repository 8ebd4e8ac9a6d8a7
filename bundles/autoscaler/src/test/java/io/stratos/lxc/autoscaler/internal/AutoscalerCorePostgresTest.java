package io.stratos.lxc.autoscaler.internal;

import io.stratos.lxc.testsupport.PostgresSchemas;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;

/** Every autoscaler behaviour again, with the policies in PostgreSQL, each test in schemas of its own (see PostgresSchemas). */
class AutoscalerCorePostgresTest extends AutoscalerCoreTest {

    private PostgresSchemas postgres;

    @Override
    DataSource emptyDatabase() throws Exception {
        if (postgres == null) {
            postgres = PostgresSchemas.fromEnvironment();
        }
        return postgres.newSchema("autoscaler_test");
    }

    @AfterEach
    void dropPostgresSchemas() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }
}
