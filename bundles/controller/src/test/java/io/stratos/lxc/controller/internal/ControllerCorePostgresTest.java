package io.stratos.lxc.controller.internal;

import io.stratos.lxc.testsupport.PostgresSchemas;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;

/**
 * Every controller behaviour again, persisted in PostgreSQL: the database named by
 * {@code STRATOS_TEST_POSTGRES_URL} ({@code ./stratos test} starts one on 127.0.0.1:15432).
 */
class ControllerCorePostgresTest {

    private PostgresSchemas postgres;

    /** A schema of this test's own for each database the test asks for (see PostgresSchemas), dropped after it. */
    DataSource emptyPostgres() throws Exception {
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

    @Nested
    class Facade extends ControllerCoreTest {
        @Override
        DataSource emptyDatabase() throws Exception {
            return emptyPostgres();
        }
    }

    @Nested
    class Fleet extends VmFleetTest {
        @Override
        DataSource emptyDatabase() throws Exception {
            return emptyPostgres();
        }
    }

    @Nested
    class Scheduler extends ProcessSchedulerTest {
        @Override
        DataSource emptyDatabase() throws Exception {
            return emptyPostgres();
        }
    }

    @Nested
    class Agents extends AgentChannelTest {
        @Override
        DataSource emptyDatabase() throws Exception {
            return emptyPostgres();
        }
    }

    @Nested
    class Rollout extends RolloutTest {
        @Override
        DataSource emptyDatabase() throws Exception {
            return emptyPostgres();
        }
    }

    @Nested
    class Artifacts extends ArtifactServiceTest {
        @Override
        DataSource emptyDatabase() throws Exception {
            return emptyPostgres();
        }
    }
}
