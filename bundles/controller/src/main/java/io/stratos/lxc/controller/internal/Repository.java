package io.stratos.lxc.controller.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.controller.VmState;
import io.stratos.lxc.controller.internal.Model.ArtifactEntry;
import io.stratos.lxc.controller.internal.Model.PartitionEntry;
import io.stratos.lxc.controller.internal.Model.ProcessEntry;
import io.stratos.lxc.controller.internal.Model.SubscriptionEntry;
import io.stratos.lxc.controller.internal.Model.VmEntry;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * JDBC persistence of the controller's desired state. Every change runs in one transaction
 * ({@link #inTransaction}); the caller applies it to memory only after the commit, so a failed
 * write changes nothing and a killed controller restarts from the last commit.
 */
final class Repository {

    interface Work {
        void run(Tx tx) throws SQLException;
    }

    record Loaded(List<PartitionEntry> partitions, List<VmEntry> vms, List<SubscriptionEntry> subscriptions,
                  List<ProcessEntry> processes) {
    }

    /** Checked first in every write transaction, on its connection: the leader lease's fencing (none: always). */
    interface Fence {
        void check(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    private volatile Fence fence = connection -> { };

    Repository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void fence(Fence fence) {
        this.fence = fence;
    }

    void inTransaction(Work work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Tx tx = new Tx(connection)) {
                fence.check(connection);
                work.run(tx);
                tx.flush();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new PersistenceException("the controller database refused a change: " + e.getMessage(), e);
        }
    }

    Loaded load() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            List<PartitionEntry> partitions = new ArrayList<>();
            try (ResultSet r = s.executeQuery("SELECT name, cartridge, adapter, min_vms, max_vms, cpu_millis, memory_mib, template, desired_vms FROM partitions")) {
                while (r.next()) {
                    PartitionEntry p = new PartitionEntry(r.getString(1), r.getString(2), r.getString(3), r.getInt(4), r.getInt(5),
                            new Resources(r.getInt(6), r.getInt(7)), decode(r.getString(8)));
                    p.desiredVms = r.getInt(9);
                    partitions.add(p);
                }
            }
            List<VmEntry> vms = new ArrayList<>();
            try (ResultSet r = s.executeQuery("SELECT id, partition, adapter, adapter_ref, state, cpu_millis, memory_mib, join_token, agent_secret, runtimes, address FROM vms")) {
                while (r.next()) {
                    VmEntry vm = new VmEntry(r.getString(1), r.getString(2), r.getString(3), r.getString(8),
                            VmState.valueOf(r.getString(5)), new Resources(r.getInt(6), r.getInt(7)));
                    vm.adapterRef = r.getString(4);
                    vm.agentSecret = r.getString(9);
                    vm.runtimes = list(r.getString(10));
                    vm.address = r.getString(11);
                    vm.requestedBeforeLoad = vm.state == VmState.REQUESTED;
                    vms.add(vm);
                }
            }
            List<SubscriptionEntry> subscriptions = new ArrayList<>();
            try (ResultSet r = s.executeQuery("SELECT alias, tenant, cartridge, version, digest, policy, min_processes, max_processes, "
                    + "desired_processes, env, cpu_millis, memory_mib, runtimes, created_at, desired_artifact, deployed_artifact FROM subscriptions")) {
                while (r.next()) {
                    SubscriptionEntry entry = new SubscriptionEntry(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                            r.getString(5), r.getString(6), r.getInt(7), r.getInt(8), r.getInt(9), decode(r.getString(10)),
                            new Resources(r.getInt(11), r.getInt(12)), list(r.getString(13)), r.getString(14));
                    entry.desiredArtifact = r.getInt(15);
                    entry.deployedArtifact = r.getInt(16);
                    subscriptions.add(entry);
                }
            }
            Map<String, SubscriptionEntry> byAlias = new java.util.HashMap<>();
            subscriptions.forEach(e -> byAlias.put(e.alias, e));
            try (ResultSet r = s.executeQuery("SELECT alias, number, digest, size, source, git, ref, commit_id, created_at, state, reason "
                    + "FROM artifact_versions ORDER BY alias, number")) {
                while (r.next()) {
                    SubscriptionEntry owner = byAlias.get(r.getString(1));
                    if (owner != null) {
                        ArtifactEntry a = new ArtifactEntry(r.getInt(2), r.getString(3), r.getLong(4), r.getString(5), r.getString(6),
                                r.getString(7), r.getString(8), r.getString(9), r.getString(10));
                        a.reason = r.getString(11);
                        owner.artifacts.add(a);
                    }
                }
            }
            List<ProcessEntry> processes = new ArrayList<>();
            try (ResultSet r = s.executeQuery("SELECT id, alias, vm_id, runtime, stopping, artifact, observed_state, host_port FROM processes")) {
                while (r.next()) {
                    String vmId = r.getString(3);
                    // RUNNING as its agent last reported it (routed at once), else unknown until the agent reports again.
                    boolean running = vmId != null && "RUNNING".equals(r.getString(7)) && r.getInt(8) > 0;
                    ProcessEntry p = new ProcessEntry(r.getString(1), r.getString(2), vmId, r.getString(4), r.getBoolean(5),
                            vmId == null ? ProcessState.PENDING : running ? ProcessState.RUNNING : ProcessState.STARTING);
                    p.artifact = r.getInt(6);
                    if (running) {
                        p.hostPort = r.getInt(8);
                    }
                    processes.add(p);
                }
            }
            return new Loaded(partitions, vms, subscriptions, processes);
        } catch (SQLException e) {
            throw new PersistenceException("cannot read the controller database: " + e.getMessage(), e);
        }
    }

    /**
     * The writes of one transaction. Consecutive writes of the same statement go to the database as one JDBC batch
     * (placing 1,000 processes is one prepared INSERT executed once, not 1,000 prepares); a different statement
     * sends the batch first, so the database sees the writes in the order they were made.
     */
    static final class Tx implements AutoCloseable {
        private final Connection c;
        private final Map<String, PreparedStatement> prepared = new java.util.HashMap<>();
        private PreparedStatement batch;

        Tx(Connection c) {
            this.c = c;
        }

        void insertPartition(PartitionEntry p) throws SQLException {
            update("INSERT INTO partitions (name, cartridge, adapter, min_vms, max_vms, cpu_millis, memory_mib, template, desired_vms) VALUES (?,?,?,?,?,?,?,?,?)",
                    p.name, p.cartridge, p.adapter, p.minVms, p.maxVms, p.vmCapacity.cpuMillis(), p.vmCapacity.memoryMiB(), encode(p.template),
                    p.desiredVms);
        }

        void updateDesiredVms(String partition, int desired) throws SQLException {
            update("UPDATE partitions SET desired_vms = ? WHERE name = ?", desired, partition);
        }

        void deletePartition(String name) throws SQLException {
            update("DELETE FROM vms WHERE partition = ?", name);
            update("DELETE FROM partitions WHERE name = ?", name);
        }

        void insertVm(VmEntry vm) throws SQLException {
            update("INSERT INTO vms (id, partition, adapter, adapter_ref, state, cpu_millis, memory_mib, join_token, agent_secret, runtimes, address) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    vm.id, vm.partition, vm.adapter, vm.adapterRef, vm.state.name(), vm.capacity.cpuMillis(), vm.capacity.memoryMiB(),
                    vm.joinToken, vm.agentSecret, String.join(",", vm.runtimes), vm.address);
        }

        void updateVm(VmEntry vm) throws SQLException {
            update("UPDATE vms SET adapter_ref = ?, state = ?, cpu_millis = ?, memory_mib = ?, agent_secret = ?, runtimes = ?, join_token = ?, address = ? WHERE id = ?",
                    vm.adapterRef, vm.state.name(), vm.capacity.cpuMillis(), vm.capacity.memoryMiB(), vm.agentSecret,
                    String.join(",", vm.runtimes), vm.joinToken, vm.address, vm.id);
        }

        void deleteVm(String id) throws SQLException {
            update("DELETE FROM vms WHERE id = ?", id);
        }

        void insertSubscription(SubscriptionEntry s) throws SQLException {
            update("INSERT INTO subscriptions (alias, tenant, cartridge, version, digest, policy, min_processes, max_processes, desired_processes, env, cpu_millis, memory_mib, runtimes, created_at) "
                    + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    s.alias, s.tenant, s.cartridge, s.version, s.digest, s.policy, s.minProcesses, s.maxProcesses, s.desiredProcesses,
                    encode(s.env), s.request.cpuMillis(), s.request.memoryMiB(), String.join(",", s.runtimes), s.createdAt);
        }

        void updateDesiredProcesses(String alias, int desired) throws SQLException {
            update("UPDATE subscriptions SET desired_processes = ? WHERE alias = ?", desired, alias);
        }

        void deleteSubscription(String alias) throws SQLException {
            update("DELETE FROM processes WHERE alias = ?", alias);
            update("DELETE FROM artifact_versions WHERE alias = ?", alias);
            update("DELETE FROM subscriptions WHERE alias = ?", alias);
        }

        void insertProcess(ProcessEntry p) throws SQLException {
            update("INSERT INTO processes (id, alias, vm_id, runtime, stopping, artifact) VALUES (?,?,?,?,?,?)", p.id, p.alias, p.vmId,
                    p.runtime, p.stopping, p.artifact);
        }

        void insertArtifact(String alias, ArtifactEntry a) throws SQLException {
            update("INSERT INTO artifact_versions (alias, number, digest, size, source, git, ref, commit_id, created_at, state, reason) "
                    + "VALUES (?,?,?,?,?,?,?,?,?,?,?)", alias, a.number, a.digest, a.size, a.source, a.git, a.ref, a.commit, a.createdAt,
                    a.state, a.reason);
        }

        void updateArtifact(String alias, ArtifactEntry a) throws SQLException {
            update("UPDATE artifact_versions SET state = ?, reason = ? WHERE alias = ? AND number = ?", a.state, cut(a.reason), alias, a.number);
        }

        void deleteArtifact(String alias, int number) throws SQLException {
            update("DELETE FROM artifact_versions WHERE alias = ? AND number = ?", alias, number);
        }

        void updateArtifactVersions(SubscriptionEntry s) throws SQLException {
            update("UPDATE subscriptions SET desired_artifact = ?, deployed_artifact = ? WHERE alias = ?", s.desiredArtifact,
                    s.deployedArtifact, s.alias);
        }

        void updateProcess(ProcessEntry p) throws SQLException {
            update("UPDATE processes SET vm_id = ?, runtime = ?, stopping = ? WHERE id = ?", p.vmId, p.runtime, p.stopping, p.id);
        }

        /** What its agent last reported: kept so that a controller loading the state routes to it at once. */
        void updateProcessObserved(ProcessEntry p) throws SQLException {
            update("UPDATE processes SET observed_state = ?, host_port = ? WHERE id = ?", p.state.name(), p.hostPort, p.id);
        }

        void deleteProcess(String id) throws SQLException {
            update("DELETE FROM processes WHERE id = ?", id);
        }

        private void update(String sql, Object... values) throws SQLException {
            PreparedStatement statement = prepared.get(sql);
            if (statement == null) {
                statement = c.prepareStatement(sql);
                prepared.put(sql, statement);
            }
            if (batch != statement) {
                flush();
            }
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            statement.addBatch();
            batch = statement;
        }

        /** Sends the batch still open. */
        void flush() throws SQLException {
            if (batch != null) {
                PreparedStatement sending = batch;
                batch = null;
                sending.executeBatch();
            }
        }

        @Override
        public void close() throws SQLException {
            SQLException first = null;
            for (PreparedStatement statement : prepared.values()) {
                try {
                    statement.close();
                } catch (SQLException e) {
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }

    private static String cut(String reason) {
        return reason == null ? "" : reason.length() > 2000 ? reason.substring(0, 2000) : reason;
    }

    static String encode(Map<String, String> map) {
        Properties properties = new Properties();
        properties.putAll(map);
        StringWriter out = new StringWriter();
        try {
            properties.store(out, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        // Drop the date comment so equal maps encode equally.
        return out.toString().replaceAll("(?m)^#.*\\R", "");
    }

    static Map<String, String> decode(String text) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text == null ? "" : text));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> map = new TreeMap<>();
        properties.forEach((k, v) -> map.put((String) k, (String) v));
        return map;
    }

    private static List<String> list(String csv) {
        return csv == null || csv.isBlank() ? List.of() : Arrays.asList(csv.split(","));
    }

    /** The database failed: nothing changed; the user can retry once it is back. */
    static final class PersistenceException extends StratosException {
        PersistenceException(String message, Throwable cause) {
            super(Kind.UNAVAILABLE, message, null, "check the controller database (etc/org.ops4j.datasource-stratos.cfg) and retry", cause);
        }
    }
}
