package io.stratos.lxc.controller.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.ha.ControllerRole;
import io.stratos.lxc.api.ha.LeaseStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader lease in the controller database: one row (holder, epoch, expiry) that the active controller renews and a
 * standby takes once it has expired. Built on the database's own row lock, so there is no consensus of our own: the
 * renewal, the take-over and every write's {@link #fence} lock the same row, and expiry is judged by the database's
 * clock alone, so the controllers' clocks need not agree.
 *
 * <p>Safety rests on the epoch: every write of the active controller checks, in its own transaction, that the row
 * still names it with the epoch it took. A controller paused past its lease (SIGSTOP, a long GC) therefore writes
 * nothing when it resumes: its local deadline (monotonic time) has passed, and if it had not, the row would say so.
 */
final class ControllerLease {

    private static final Logger LOG = LoggerFactory.getLogger(ControllerLease.class);

    private final DataSource dataSource;
    private final String self;
    private final String selfUrl;
    private final Duration ttl;
    private final LongSupplier nanoTime;

    /** The epoch this controller holds the lease with; 0 while it does not. */
    private volatile long heldEpoch;
    /** Until when (monotonic) this controller may act on the lease without renewing it: a margin before its expiry. */
    private volatile long validUntilNanos;
    private volatile LeaseStatus last;
    private boolean firstTick = true;

    ControllerLease(DataSource dataSource, String self, String selfUrl, Duration ttl, LongSupplier nanoTime) {
        this.dataSource = dataSource;
        this.self = self;
        this.selfUrl = selfUrl;
        this.ttl = ttl;
        this.nanoTime = nanoTime;
        this.last = new LeaseStatus(ControllerRole.STANDBY, 0, "", "", self, 0);
    }

    /** Whether this controller may act as the active one right now (its lease is held and not past its margin). */
    boolean held() {
        return heldEpoch != 0 && nanoTime.getAsLong() - validUntilNanos < 0;
    }

    LeaseStatus status() {
        LeaseStatus s = last;
        if (s.role() == ControllerRole.ACTIVE && !held()) {
            return new LeaseStatus(ControllerRole.STANDBY, s.epoch(), s.holder(), s.holderUrl(), self, 0);
        }
        return s;
    }

    /**
     * Renews the lease when held, else takes it when nobody holds it, it has expired, or (at the first tick after a
     * restart) it still names this very controller. Returns the role that results. A database that cannot be reached
     * leaves the active controller active only until its lease's margin runs out.
     */
    synchronized ControllerRole tick() {
        long started = nanoTime.getAsLong();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Row row = lockRow(c);
                boolean mine = heldEpoch != 0 && row.epoch == heldEpoch && row.holder.equals(self);
                boolean free = row.holder.isEmpty() || !row.expiresAt.after(row.now)
                        || (firstTick && row.holder.equals(self));
                if (mine || free) {
                    long epoch = mine ? row.epoch : row.epoch + 1;
                    try (PreparedStatement u = c.prepareStatement(
                            "UPDATE controller_lease SET holder = ?, holder_url = ?, epoch = ?, expires_at = ? WHERE id = 1")) {
                        u.setString(1, self);
                        u.setString(2, selfUrl);
                        u.setLong(3, epoch);
                        u.setTimestamp(4, new Timestamp(row.now.getTime() + ttl.toMillis()));
                        u.executeUpdate();
                    }
                    c.commit();
                    if (!mine) {
                        LOG.info("Leader lease taken: this controller ({}) is active with epoch {}", self, epoch);
                    }
                    heldEpoch = epoch;
                    // A margin of a fifth of the lease: it stops acting before any standby may take over.
                    validUntilNanos = started + ttl.toNanos() * 4 / 5;
                    last = new LeaseStatus(ControllerRole.ACTIVE, epoch, self, selfUrl, self, 0);
                } else {
                    c.rollback();
                    if (heldEpoch != 0) {
                        LOG.warn("Leader lease lost to {} (epoch {}): this controller ({}) stands by", row.holder, row.epoch, self);
                    }
                    heldEpoch = 0;
                    last = new LeaseStatus(ControllerRole.STANDBY, row.epoch, row.holder, row.holderUrl, self, 0);
                }
                firstTick = false;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            if (heldEpoch != 0 && !held()) {
                LOG.warn("Leader lease not renewed in time ({}): this controller ({}) stands by", e.getMessage(), self);
                heldEpoch = 0;
            } else {
                LOG.debug("lease tick failed", e);
            }
            LeaseStatus s = last;
            last = new LeaseStatus(held() ? ControllerRole.ACTIVE : ControllerRole.STANDBY, s.epoch(), s.holder(),
                    s.holderUrl(), self, 0);
        }
        return last.role();
    }

    /** Gives the lease up (a clean stop), so that a standby need not wait for it to expire. */
    synchronized void release() {
        long epoch = heldEpoch;
        heldEpoch = 0;
        if (epoch == 0) {
            return;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement u = c.prepareStatement(
                     "UPDATE controller_lease SET expires_at = TIMESTAMP '1970-01-01 00:00:00' WHERE id = 1 AND holder = ? AND epoch = ?")) {
            u.setString(1, self);
            u.setLong(2, epoch);
            u.executeUpdate();
            LOG.info("Leader lease released by {} (epoch {})", self, epoch);
        } catch (SQLException e) {
            LOG.warn("Leader lease not released ({}): a standby takes it when it expires", e.getMessage());
        }
    }

    /**
     * Called first in every write transaction of the controller: the lease must still be this controller's, with the
     * epoch it took, and unexpired by the database's clock; else the whole transaction is refused. Locks the lease row
     * until the transaction ends, so no take-over can slip between this check and the commit.
     */
    void fence(Connection c) throws SQLException {
        long epoch = heldEpoch;
        if (epoch == 0 || !held()) {
            throw standby();
        }
        if ("PostgreSQL".equals(c.getMetaData().getDatabaseProductName())) {
            // A controller paused inside this transaction must not hold the lease row (and so every take-over) for
            // longer than its lease: PostgreSQL ends the session instead.
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL idle_in_transaction_session_timeout = " + ttl.toMillis());
            }
        }
        Row row = lockRow(c);
        if (row.epoch != epoch || !row.holder.equals(self) || !row.expiresAt.after(row.now)) {
            heldEpoch = 0;
            LOG.warn("Write refused: the leader lease is now {} epoch {}; this controller ({}) stands by", row.holder, row.epoch, self);
            throw standby();
        }
        try (PreparedStatement u = c.prepareStatement("UPDATE controller_lease SET last_write_epoch = ? WHERE id = 1")) {
            u.setLong(1, epoch);
            u.executeUpdate();
        }
    }

    /** The error a write gets on a controller that is not active: 503, naming where writes go. */
    StratosException standby() {
        LeaseStatus s = last;
        String where = s.holderUrl().isEmpty() ? "the active controller" : "the active controller at " + s.holderUrl();
        return StratosException.unavailable("this controller (" + self + ") is a standby: it serves reads only",
                "send writes to " + where + "; GET /status there shows \"role\": \"active\"");
    }

    private record Row(String holder, String holderUrl, long epoch, Timestamp expiresAt, Timestamp now) {
    }

    private static Row lockRow(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery(
                     "SELECT holder, holder_url, epoch, expires_at, LOCALTIMESTAMP FROM controller_lease WHERE id = 1 FOR UPDATE")) {
            if (!r.next()) {
                throw new SQLException("the controller_lease row is missing");
            }
            return new Row(r.getString(1), r.getString(2), r.getLong(3), r.getTimestamp(4), r.getTimestamp(5));
        }
    }
}
