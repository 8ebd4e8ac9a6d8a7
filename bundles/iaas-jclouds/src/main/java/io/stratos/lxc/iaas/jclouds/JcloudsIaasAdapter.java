package io.stratos.lxc.iaas.jclouds;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.config.ConfigValues;
import io.stratos.lxc.api.iaas.IaasAdapter;
import io.stratos.lxc.api.iaas.VmRef;
import io.stratos.lxc.api.iaas.VmSpec;
import io.stratos.lxc.api.status.ComponentState;
import io.stratos.lxc.api.status.ComponentStatus;
import io.stratos.lxc.api.status.StatusContributor;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IaaS adapter {@code jclouds}: partition VMs are nodes of any jclouds compute provider (aws-ec2,
 * openstack-nova, google-compute-engine, ...), started with a cloud-init script that installs the agent
 * distribution and starts it with the VM's join token; with the docker provider a VM is a container
 * running the agent. The adapter registers even when its configuration is missing or bad: it then shows
 * UNCONFIGURED naming the key, and {@link #createVm} fails with UNAVAILABLE (the controller retries).
 * Stopping or updating this bundle leaves the nodes running; {@link #listVms()} finds them again.
 */
@Designate(ocd = JcloudsConfig.class)
@Component(configurationPid = JcloudsSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {IaasAdapter.class, StatusContributor.class})
public class JcloudsIaasAdapter implements IaasAdapter, StatusContributor {

    private static final Logger LOG = LoggerFactory.getLogger(JcloudsIaasAdapter.class);
    static final String STATUS_NAME = "iaas-jclouds";

    private final Object lock = new Object();
    private volatile JcloudsSettings settings;
    private JcloudsCloud cloud;
    private volatile String configProblems = "not configured yet";
    private volatile String lastError = "";
    private volatile boolean settingsValid;
    private final Map<String, Backoff> backoffs = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long lastConnectAttempt;
    private static final long RECONNECT_INTERVAL_NANOS = 2_000_000_000L;

    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        ConfigValues values = ConfigValues.of(JcloudsSettings.PID, properties);
        JcloudsSettings read = JcloudsSettings.from(values, properties);
        synchronized (lock) {
            if (read.equals(settings) && cloud != null) {
                return;
            }
            closeCloud();
            settings = read;
            lastError = "";
            backoffs.clear();
            settingsValid = values.valid();
            if (!settingsValid) {
                configProblems = values.describeProblems();
                LOG.error("jclouds adapter unconfigured: {}", configProblems);
                return;
            }
            connect();
        }
    }

    /**
     * Builds the jclouds context from valid settings. A provider that is not installed yet (its bundle may
     * start after this one, or the user installs its feature later) is tried again on the next use.
     */
    private void connect() {
        JcloudsSettings current = settings;
        lastConnectAttempt = System.nanoTime();
        try {
            long started = System.nanoTime();
            cloud = JcloudsCloud.connect(current);
            configProblems = "";
            LOG.info("jclouds adapter ready in {} ms: {}", (System.nanoTime() - started) / 1_000_000, current);
        } catch (JcloudsCloud.NotInstalledException e) {
            String problem = JcloudsSettings.PID + ": key 'provider': " + e.getMessage();
            if (!problem.equals(configProblems)) {
                LOG.warn("jclouds adapter unconfigured (tried again on next use): {}", problem);
            }
            configProblems = problem;
        } catch (RuntimeException e) {
            // e.g. an endpoint jclouds rejects; never fail activation
            String problem = JcloudsSettings.PID + ": cannot build a jclouds context for provider '" + current.provider() + "': " + e.getMessage();
            if (!problem.equals(configProblems)) {
                LOG.error("jclouds adapter unconfigured: {}", problem, e);
            }
            configProblems = problem;
        }
    }

    /** With valid settings but no context yet, tries again (at most every 2 s). */
    private void reconnectIfDue() {
        synchronized (lock) {
            if (cloud == null && settingsValid && settings != null
                    && System.nanoTime() - lastConnectAttempt > RECONNECT_INTERVAL_NANOS) {
                connect();
            }
        }
    }

    @Deactivate
    void deactivate() {
        synchronized (lock) {
            settingsValid = false;
            closeCloud();
        }
    }

    private void closeCloud() {
        if (cloud != null) {
            try {
                cloud.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing the jclouds context failed: {}", e.toString());
            }
            cloud = null;
        }
    }

    /** The connected cloud, or UNAVAILABLE saying which key to fix. */
    private JcloudsCloud cloud() {
        reconnectIfDue();
        synchronized (lock) {
            if (cloud == null) {
                throw StratosException.unavailable("the jclouds adapter is not configured: " + configProblems,
                        "fix " + JcloudsSettings.CFG + " (status shows which key)");
            }
            return cloud;
        }
    }

    @Override
    public String id() {
        return "jclouds";
    }

    /**
     * Only the docker provider with {@code networkMode = host} makes "VMs" that share this host's network, and so its
     * loopback; every real cloud's VMs are machines of their own.
     */
    @Override
    public boolean vmsShareHostLoopback() {
        JcloudsSettings current = settings;
        return current != null && "docker".equals(current.provider()) && "host".equals(current.networkMode());
    }

    /**
     * The controller asks again every reconciliation pass while a VM is REQUESTED; a cloud API that fails
     * (quota, auth, outage) is asked again after 2, 4, 8 ... 60 s instead, per VM.
     */
    @Override
    public VmRef createVm(VmSpec spec) {
        JcloudsCloud current = cloud();
        Backoff backoff = backoffs.get(spec.vmId());
        long now = System.nanoTime();
        if (backoff != null && now < backoff.nextAttemptNanos()) {
            throw StratosException.unavailable(backoff.lastError() + " (next attempt in "
                    + Math.max(1, (backoff.nextAttemptNanos() - now) / 1_000_000_000L) + " s)", null);
        }
        try {
            VmRef ref = current.create(spec);
            lastError = "";
            backoffs.remove(spec.vmId());
            return ref;
        } catch (StratosException e) {
            lastError = e.getMessage();
            backoffs.put(spec.vmId(), Backoff.after(backoff, e.getMessage()));
            throw e;
        } catch (RuntimeException e) {
            lastError = "creating VM " + spec.vmId() + " failed: " + e;
            String message = "jclouds could not create VM " + spec.vmId() + ": " + e.getMessage();
            backoffs.put(spec.vmId(), Backoff.after(backoff, message));
            throw StratosException.unavailable(message, "check " + JcloudsSettings.CFG + " and the provider's console");
        }
    }

    /** When a VM whose creation failed may be tried again. */
    record Backoff(int failures, long nextAttemptNanos, String lastError) {
        static Backoff after(Backoff previous, String error) {
            int failures = previous == null ? 1 : previous.failures + 1;
            long seconds = Math.min(60, 1L << Math.min(failures, 6));
            return new Backoff(failures, System.nanoTime() + seconds * 1_000_000_000L, error);
        }
    }

    @Override
    public void destroyVm(VmRef vm) {
        backoffs.remove(vm.vmId());
        try {
            cloud().destroy(vm);
        } catch (StratosException e) {
            throw e;
        } catch (RuntimeException e) {
            throw StratosException.unavailable("jclouds could not destroy VM " + vm.vmId() + " (" + vm.adapterRef() + "): " + e.getMessage(),
                    "destroy the node in the provider's console if it stays");
        }
    }

    @Override
    public List<VmRef> listVms() {
        try {
            return cloud().vms();
        } catch (StratosException e) {
            throw e;
        } catch (RuntimeException e) {
            throw StratosException.unavailable("jclouds could not list the VMs: " + e.getMessage(), null);
        }
    }

    @Override
    public ComponentStatus componentStatus() {
        reconnectIfDue();
        String problems = configProblems;
        if (!problems.isEmpty()) {
            return new ComponentStatus(STATUS_NAME, ComponentState.UNCONFIGURED, problems);
        }
        JcloudsSettings current = settings;
        if (!lastError.isEmpty()) {
            return new ComponentStatus(STATUS_NAME, ComponentState.DEGRADED, lastError);
        }
        return new ComponentStatus(STATUS_NAME, ComponentState.ACTIVE, "provider " + current.provider()
                + (current.endpoint().isEmpty() ? "" : " at " + current.endpoint()) + ", group " + current.group());
    }
}
