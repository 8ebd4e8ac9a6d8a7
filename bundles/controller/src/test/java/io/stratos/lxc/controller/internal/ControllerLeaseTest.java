package io.stratos.lxc.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.ha.ControllerRole;
import io.stratos.lxc.testsupport.H2Databases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The leader lease between controllers that share one database; on H2 here, on PostgreSQL in the subclass. */
class ControllerLeaseTest {

    private static final Duration LEASE = Duration.ofSeconds(5);

    DataSource database;
    /** The monotonic clock both controllers see: a test moves it to stand for a pause. */
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    DataSource emptyDatabase() throws Exception {
        return H2Databases.empty("lease-" + System.nanoTime());
    }

    @BeforeEach
    void migrate() throws Exception {
        database = emptyDatabase();
        Schema.migrate(database);
    }

    private ControllerLease controller(String name) {
        return new ControllerLease(database, name, "http://" + name + ":8181/stratos", LEASE, nanos::get);
    }

    @Test
    void theFirstControllerTakesTheLeaseAndASecondStandsByNamingIt() {
        ControllerLease a = controller("a");
        ControllerLease b = controller("b");

        assertThat(a.tick()).isEqualTo(ControllerRole.ACTIVE);
        assertThat(b.tick()).isEqualTo(ControllerRole.STANDBY);

        assertThat(a.status().epoch()).isEqualTo(1);
        assertThat(b.status().holder()).isEqualTo("a");
        assertThat(b.status().holderUrl()).isEqualTo("http://a:8181/stratos");
        assertThatThrownBy(() -> write(b)).isInstanceOf(StratosException.class)
                .hasMessageContaining("standby")
                .satisfies(e -> assertThat(((StratosException) e).hint()).contains("http://a:8181/stratos"));
    }

    @Test
    void aStandbyTakesTheLeaseOnlyOnceItHasExpiredWithTheNextEpoch() throws Exception {
        ControllerLease a = controller("a");
        ControllerLease b = controller("b");
        a.tick();
        assertThat(b.tick()).isEqualTo(ControllerRole.STANDBY);

        expireInDatabase();

        assertThat(b.tick()).isEqualTo(ControllerRole.ACTIVE);
        assertThat(b.status().epoch()).isEqualTo(2);
        assertThat(a.tick()).isEqualTo(ControllerRole.STANDBY);
        assertThat(a.status().holder()).isEqualTo("b");
    }

    @Test
    void aControllerThatLostTheLeaseWritesNothingEvenBeforeItNoticed() throws Exception {
        ControllerLease a = controller("a");
        ControllerLease b = controller("b");
        a.tick();
        write(a);
        expireInDatabase();
        b.tick();

        // a has not ticked since: it still believes it holds epoch 1, but its write is refused in the transaction
        assertThat(a.held()).isTrue();
        assertThatThrownBy(() -> write(a)).isInstanceOf(StratosException.class);
        assertThat(a.held()).isFalse();
        assertThat(lastWriteEpoch()).isEqualTo(1);
        write(b);
        assertThat(lastWriteEpoch()).isEqualTo(2);
    }

    @Test
    void aControllerPausedPastItsLeaseRefusesWritesWithoutAskingTheDatabase() throws Exception {
        ControllerLease a = controller("a");
        a.tick();

        nanos.addAndGet(LEASE.toNanos()); // SIGSTOP for a whole lease, then SIGCONT

        assertThat(a.held()).isFalse();
        assertThatThrownBy(() -> write(a)).isInstanceOf(StratosException.class);
        assertThat(lastWriteEpoch()).isZero();
    }

    @Test
    void aControllerRestartedUnderTheSameNameTakesItsOwnLeaseAtOnceWithANewEpoch() {
        controller("a").tick();

        ControllerLease restarted = controller("a");

        assertThat(restarted.tick()).isEqualTo(ControllerRole.ACTIVE);
        assertThat(restarted.status().epoch()).isEqualTo(2);
    }

    @Test
    void aReleasedLeaseIsTakenAtOnce() {
        ControllerLease a = controller("a");
        ControllerLease b = controller("b");
        a.tick();
        b.tick();

        a.release();

        assertThat(b.tick()).isEqualTo(ControllerRole.ACTIVE);
        assertThat(a.held()).isFalse();
    }

    @Test
    void renewingKeepsTheEpoch() {
        ControllerLease a = controller("a");
        a.tick();
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());

        assertThat(a.tick()).isEqualTo(ControllerRole.ACTIVE);
        assertThat(a.status().epoch()).isEqualTo(1);
    }

    private void write(ControllerLease lease) throws SQLException {
        try (Connection c = database.getConnection()) {
            c.setAutoCommit(false);
            try {
                lease.fence(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private void expireInDatabase() throws SQLException {
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE controller_lease SET expires_at = TIMESTAMP '2000-01-01 00:00:00'");
        }
    }

    private long lastWriteEpoch() throws SQLException {
        try (Connection c = database.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT last_write_epoch FROM controller_lease")) {
            r.next();
            return r.getLong(1);
        }
    }
}
