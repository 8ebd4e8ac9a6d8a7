package io.stratos.lxc.autoscaler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.api.status.ComponentState;
import io.stratos.lxc.api.status.ComponentStatus;
import io.stratos.lxc.api.status.StatusContributor;
import io.stratos.lxc.testsupport.H2Databases;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

class AutoscalerComponentTest {

    @Test
    void onTablesNewerThanTheAutoscalerItStartsNothingAndItsStatusSaysWhy() throws Exception {
        JdbcDataSource newer = H2Databases.empty("newer");
        try (Connection c = newer.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE autoscaler_schema_version (version INTEGER PRIMARY KEY, script VARCHAR(255) NOT NULL)");
            s.execute("INSERT INTO autoscaler_schema_version (version, script) VALUES (99, 'V99__from_the_future.sql')");
        }
        Map<String, Object> registered = new LinkedHashMap<>();
        AutoscalerComponent component = new AutoscalerComponent();
        component.dataSource = newer;

        component.activate(recording(registered), Map.of());

        assertThat(registered).containsOnlyKeys(StatusContributor.class.getName());
        ComponentStatus status = ((StatusContributor) registered.get(StatusContributor.class.getName())).componentStatus();
        assertThat(status.name()).isEqualTo("autoscaler");
        assertThat(status.state()).isEqualTo(ComponentState.UNAVAILABLE);
        assertThat(status.detail()).contains("schema version 99 is newer than this release knows");
        component.modified(Map.of());
        component.deactivate();
    }

    /** A bundle context that only records what is registered. */
    static BundleContext recording(Map<String, Object> registered) {
        ServiceRegistration<?> registration = (ServiceRegistration<?>) Proxy.newProxyInstance(
                AutoscalerComponentTest.class.getClassLoader(), new Class<?>[] {ServiceRegistration.class},
                (proxy, method, args) -> null);
        return (BundleContext) Proxy.newProxyInstance(AutoscalerComponentTest.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("registerService") && args[0] instanceof Class<?> type) {
                        registered.put(type.getName(), args[1]);
                        return registration;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
