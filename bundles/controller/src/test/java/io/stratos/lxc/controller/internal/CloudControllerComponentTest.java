package io.stratos.lxc.controller.internal;

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

class CloudControllerComponentTest {

    @Test
    void onADatabaseNewerThanTheControllerItStartsNothingAndItsStatusSaysWhy() throws Exception {
        JdbcDataSource newer = H2Databases.empty("newer");
        try (Connection c = newer.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, script VARCHAR(255) NOT NULL)");
            s.execute("INSERT INTO schema_version (version, script) VALUES (999, 'V999__from_the_future.sql')");
        }
        Map<String, Object> registered = new LinkedHashMap<>();
        CloudControllerComponent component = new CloudControllerComponent();
        component.dataSource = newer;

        component.activate(recording(registered), Map.of());

        assertThat(registered).containsOnlyKeys(StatusContributor.class.getName());
        ComponentStatus status = ((StatusContributor) registered.get(StatusContributor.class.getName())).componentStatus();
        assertThat(status.name()).isEqualTo("cloud-controller");
        assertThat(status.state()).isEqualTo(ComponentState.UNAVAILABLE);
        assertThat(status.detail()).contains("schema version 999 is newer than this release knows");
        component.deactivate();
    }

    @Test
    void changedLeaseSettingsApplyInPlaceKeepingTheServicesRegistered() throws Exception {
        JdbcDataSource database = H2Databases.empty("lease-change");
        Map<String, Object> registered = new LinkedHashMap<>();
        CloudControllerComponent component = new CloudControllerComponent();
        component.dataSource = database;
        component.controllerComponent = new ControllerComponent();
        component.controllerComponent.configure(Map.of());
        Map<String, Object> first = Map.of("nodeName", "ctl-one", "url", "http://127.0.0.1:1/stratos", "leaseSeconds", "2");
        component.activate(recording(registered), first);
        try {
            assertThat(component.lease().holder()).isEqualTo("ctl-one");
            Object controller = registered.get(io.stratos.lxc.api.controller.CloudController.class.getName());

            component.modified(first); // the same values again, as FileInstall delivers them on a first boot
            assertThat(component.lease().holder()).isEqualTo("ctl-one");

            component.modified(Map.of("nodeName", "ctl-two", "url", "http://127.0.0.1:2/stratos", "leaseSeconds", "2"));

            // the old name's lease is released, the new name takes it at the next tick (every 400 ms here)
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(component.lease().holder()).isEqualTo("ctl-two");
                assertThat(component.lease().role()).isEqualTo(io.stratos.lxc.api.ha.ControllerRole.ACTIVE);
            });
            assertThat(registered.get(io.stratos.lxc.api.controller.CloudController.class.getName())).isSameAs(controller);
        } finally {
            component.deactivate();
        }
    }

    /** A bundle context that only records what is registered. */
    static BundleContext recording(Map<String, Object> registered) {
        ServiceRegistration<?> registration = (ServiceRegistration<?>) Proxy.newProxyInstance(
                CloudControllerComponentTest.class.getClassLoader(), new Class<?>[] {ServiceRegistration.class},
                (proxy, method, args) -> null);
        return (BundleContext) Proxy.newProxyInstance(CloudControllerComponentTest.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("registerService") && args[0] instanceof Class<?> type) {
                        registered.put(type.getName(), args[1]);
                        return registration;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
