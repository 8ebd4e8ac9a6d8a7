package io.stratos.lxc.controller.internal;

import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Every controller behaviour again, persisted in PostgreSQL: the database named by
 * {@code STRATOS_TEST_POSTGRES_URL} ({@code ./stratos test} starts one on 127.0.0.1:15432).
 */
class ControllerCorePostgresTest {

    static DataSource emptyPostgres() throws Exception {
        String url = System.getenv("STRATOS_TEST_POSTGRES_URL");
        Assumptions.assumeTrue(url != null && !url.isBlank(),
                "STRATOS_TEST_POSTGRES_URL is not set: run ./stratos test, which starts PostgreSQL for these tests");
        PGSimpleDataSource postgres = new PGSimpleDataSource();
        postgres.setURL(url);
        postgres.setUser(System.getenv().getOrDefault("STRATOS_TEST_POSTGRES_USER", "stratos"));
        postgres.setPassword(System.getenv().getOrDefault("STRATOS_TEST_POSTGRES_PASSWORD", "stratos"));
        try (Connection c = postgres.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS public CASCADE");
            s.execute("CREATE SCHEMA public");
        }
        return postgres;
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
