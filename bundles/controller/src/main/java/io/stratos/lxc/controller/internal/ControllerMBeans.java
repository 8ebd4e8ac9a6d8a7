package io.stratos.lxc.controller.internal;

import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.controller.Partition;
import io.stratos.lxc.api.controller.Subscription;
import io.stratos.lxc.controller.management.PartitionMBean;
import io.stratos.lxc.controller.management.SubscriptionMBean;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.management.NotCompliantMBeanException;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MBean per partition and per subscription, registered through Karaf's JMX whiteboard and kept in
 * step with the controller (partitions and subscriptions come and go at run time). Registered by hand because
 * their number changes at run time: a DS component offers a fixed set of services, one registration each.
 */
@Component(immediate = true, service = {})
public class ControllerMBeans {

    private static final Logger LOG = LoggerFactory.getLogger(ControllerMBeans.class);

    @Reference
    CloudController controller;

    private final Map<String, ServiceRegistration<?>> registered = new HashMap<>();
    private ScheduledExecutorService sync;
    private BundleContext context;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
        sync = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "stratos-controller-mbeans"));
        sync.scheduleWithFixedDelay(this::syncQuietly, 0, 2, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        sync.shutdownNow();
        synchronized (registered) {
            registered.values().forEach(ControllerMBeans::unregister);
            registered.clear();
        }
    }

    private void syncQuietly() {
        try {
            sync();
        } catch (RuntimeException e) {
            LOG.debug("MBean sync failed", e);
        }
    }

    void sync() {
        Set<String> wanted = new HashSet<>();
        synchronized (registered) {
            for (Partition p : controller.partitions()) {
                String name = "io.stratos.lxc:type=Partition,name=" + ObjectName.quote(p.name());
                wanted.add(name);
                registered.computeIfAbsent(name, n -> register(n, new PartitionView(p.name())));
            }
            for (Subscription s : controller.subscriptions()) {
                String name = "io.stratos.lxc:type=Subscription,alias=" + s.alias();
                wanted.add(name);
                registered.computeIfAbsent(name, n -> register(n, new SubscriptionView(s.alias())));
            }
            registered.entrySet().removeIf(e -> {
                if (!wanted.contains(e.getKey())) {
                    unregister(e.getValue());
                    return true;
                }
                return false;
            });
        }
    }

    private ServiceRegistration<?> register(String objectName, Object mbean) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("jmx.objectname", objectName);
        return context.registerService(mbean instanceof PartitionMBean ? PartitionMBean.class.getName()
                : SubscriptionMBean.class.getName(), mbean, properties);
    }

    private static void unregister(ServiceRegistration<?> registration) {
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // already gone with the bundle
        }
    }

    final class PartitionView extends StandardMBean implements PartitionMBean {
        private final String name;

        PartitionView(String name) {
            super(PartitionMBean.class, false);
            this.name = name;
        }

        private Partition p() {
            return controller.partition(name);
        }

        @Override public String getName() { return name; }
        @Override public String getCartridge() { return p().cartridge(); }
        @Override public String getAdapter() { return p().adapter(); }
        @Override public String getState() { return p().state(); }
        @Override public int getDesiredVms() { return p().desiredVms(); }
        @Override public int getVms() { return p().vms(); }
        @Override public int getReadyVms() { return p().readyVms(); }
        @Override public int getPendingProcesses() { return p().pending(); }
        @Override public void scale(int vms) { controller.scalePartition(name, vms); }
    }

    final class SubscriptionView extends StandardMBean implements SubscriptionMBean {
        private final String alias;

        SubscriptionView(String alias) {
            super(SubscriptionMBean.class, false);
            this.alias = alias;
        }

        private Subscription s() {
            return controller.subscription(alias);
        }

        @Override public String getAlias() { return alias; }
        @Override public String getTenant() { return s().tenant(); }
        @Override public String getCartridge() { return s().cartridge(); }
        @Override public String getVersion() { return s().version(); }
        @Override public int getDesiredProcesses() { return s().desiredProcesses(); }
        @Override public int getMinProcesses() { return s().minProcesses(); }
        @Override public int getMaxProcesses() { return s().maxProcesses(); }
        @Override public String[] getProcesses() {
            return s().processes().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        }
        @Override public String getEndpoint() { return s().endpoint(); }
        @Override public int getDeployedArtifact() { return controller.artifact(alias).deployed(); }
        @Override public int getDesiredArtifact() { return controller.artifact(alias).desired(); }
        @Override public String getRollout() { return controller.artifact(alias).rollout(); }
        @Override public String[] getArtifactHistory() {
            return controller.artifact(alias).history().stream().map(v -> v.number() + " " + v.state() + " " + v.source()
                    + ("git".equals(v.source()) ? " " + v.git() + " " + v.ref() + "@" + v.commit() : "") + " " + v.digest()
                    + (v.reason().isEmpty() ? "" : " " + v.reason())).toArray(String[]::new);
        }
        @Override public void scale(int processes) { controller.scale(alias, processes); }
    }
}
