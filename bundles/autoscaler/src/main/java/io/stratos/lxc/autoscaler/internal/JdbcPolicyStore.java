package io.stratos.lxc.autoscaler.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.autoscaler.AutoscalePolicy;
import io.stratos.lxc.api.autoscaler.MetricTarget;
import io.stratos.lxc.persistence.ComponentSchema;
import io.stratos.lxc.persistence.SchemaException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Policies in the controller database (the {@code stratos} DataSource: H2 by default, PostgreSQL by
 * configuration), in tables of the autoscaler's own, migrated like the controller's: every script
 * {@code db/V<n>__*.sql} beside this class, recorded in {@code autoscaler_schema_history}; before Flyway
 * in {@code autoscaler_schema_version}.
 */
final class JdbcPolicyStore implements PolicyStore {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcPolicyStore.class);
    static final ComponentSchema SCHEMA = new ComponentSchema("Autoscaler tables", JdbcPolicyStore.class,
            "io/stratos/lxc/autoscaler/db", "autoscaler_schema_history", "autoscaler_schema_version");

    interface Work {
        void run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;

    JdbcPolicyStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Brings the autoscaler's tables up to date; returns the schema version. */
    int migrate() throws SchemaException {
        return SCHEMA.migrate(dataSource);
    }

    @Override
    public List<AutoscalePolicy> load() {
        List<AutoscalePolicy> policies = new ArrayList<>();
        inTransaction(connection -> {
            Map<String, Map<String, MetricTarget>> metrics = new LinkedHashMap<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery(
                         "SELECT policy, metric, target_value, metric_name, aggregate FROM autoscale_policy_metrics "
                                 + "ORDER BY policy, metric")) {
                while (rows.next()) {
                    metrics.computeIfAbsent(rows.getString(1), k -> new LinkedHashMap<>())
                            .put(rows.getString(2), new MetricTarget(rows.getDouble(3), rows.getString(4), rows.getString(5)));
                }
            }
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT name, min_processes, max_processes, scale_up_step, "
                         + "scale_down_step, scale_up_cooldown_s, scale_down_stabilization_s, tolerance, predict, "
                         + "scale_to_zero_after_s FROM autoscale_policies ORDER BY name")) {
                while (rows.next()) {
                    String name = rows.getString(1);
                    policies.add(new AutoscalePolicy(name, metrics.getOrDefault(name, Map.of()), nullableInt(rows, 2),
                            nullableInt(rows, 3), rows.getInt(4), rows.getInt(5), rows.getInt(6), rows.getInt(7),
                            rows.getDouble(8), rows.getBoolean(9), nullableInt(rows, 10)));
                }
            }
        });
        return policies;
    }

    @Override
    public void insert(AutoscalePolicy policy) {
        inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO autoscale_policies (min_processes, "
                    + "max_processes, scale_up_step, scale_down_step, scale_up_cooldown_s, scale_down_stabilization_s, "
                    + "tolerance, predict, scale_to_zero_after_s, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                bind(insert, policy);
                insert.executeUpdate();
            }
            insertMetrics(connection, policy);
        });
    }

    @Override
    public void update(AutoscalePolicy policy) {
        inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE autoscale_policies SET min_processes = ?, "
                    + "max_processes = ?, scale_up_step = ?, scale_down_step = ?, scale_up_cooldown_s = ?, "
                    + "scale_down_stabilization_s = ?, tolerance = ?, predict = ?, scale_to_zero_after_s = ? WHERE name = ?")) {
                bind(update, policy);
                update.executeUpdate();
            }
            deleteMetrics(connection, policy.name());
            insertMetrics(connection, policy);
        });
    }

    @Override
    public void delete(String name) {
        inTransaction(connection -> {
            deleteMetrics(connection, name);
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM autoscale_policies WHERE name = ?")) {
                delete.setString(1, name);
                delete.executeUpdate();
            }
        });
    }

    private static void bind(PreparedStatement statement, AutoscalePolicy policy) throws SQLException {
        setNullableInt(statement, 1, policy.minProcesses());
        setNullableInt(statement, 2, policy.maxProcesses());
        statement.setInt(3, policy.scaleUpStep());
        statement.setInt(4, policy.scaleDownStep());
        statement.setInt(5, policy.scaleUpCooldownSeconds());
        statement.setInt(6, policy.scaleDownStabilizationSeconds());
        statement.setDouble(7, policy.tolerance());
        statement.setBoolean(8, policy.predict());
        setNullableInt(statement, 9, policy.scaleToZeroAfterSeconds());
        statement.setString(10, policy.name());
    }

    private static void insertMetrics(Connection connection, AutoscalePolicy policy) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO autoscale_policy_metrics (policy, metric, target_value, metric_name, aggregate) VALUES (?, ?, ?, ?, ?)")) {
            for (Map.Entry<String, MetricTarget> metric : policy.metrics().entrySet()) {
                insert.setString(1, policy.name());
                insert.setString(2, metric.getKey());
                insert.setDouble(3, metric.getValue().target());
                insert.setString(4, metric.getValue().name());
                insert.setString(5, metric.getValue().aggregate());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void deleteMetrics(Connection connection, String name) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM autoscale_policy_metrics WHERE policy = ?")) {
            delete.setString(1, name);
            delete.executeUpdate();
        }
    }

    private static Integer nullableInt(ResultSet rows, int column) throws SQLException {
        int value = rows.getInt(column);
        return rows.wasNull() ? null : value;
    }

    private static void setNullableInt(PreparedStatement statement, int index, Integer value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setInt(index, value);
        }
    }

    private void inTransaction(Work work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                work.run(connection);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw StratosException.unavailable("the controller database refused an autoscale policy change: " + e.getMessage(),
                    "check the database (stratos:status) and retry");
        }
    }

}
