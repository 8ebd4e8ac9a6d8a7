package io.stratos.lxc.agent.internal;

import io.stratos.lxc.agent.status.AgentMXBean;
import io.stratos.lxc.agent.status.AgentStatus;
import io.stratos.lxc.agent.status.AgentSummary;
import io.stratos.lxc.api.controller.ProcessState;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers {@code io.stratos.lxc:type=Agent} in the platform MBeanServer, so that it is there without Karaf's
 * management feature: {@code jconsole <pid>} or any local attach reads it, and a JMX connector (when one is
 * installed) serves the same server. One summary feeds every attribute read within a second, so a client reading
 * all attributes costs one look at the agent, not twenty.
 */
@Component(immediate = true, service = {})
public class AgentMBeanComponent implements AgentMXBean {

    private static final Logger LOG = LoggerFactory.getLogger(AgentMBeanComponent.class);
    private static final long MAX_AGE_NANOS = 1_000_000_000L;

    @Reference
    AgentStatus status;

    private final LongSupplier clock;
    private ObjectName name;
    private AgentSummary cached;
    private long cachedAt;

    public AgentMBeanComponent() {
        this(System::nanoTime);
    }

    AgentMBeanComponent(LongSupplier clock) {
        this.clock = clock;
    }

    @Activate
    void activate() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName objectName = new ObjectName(OBJECT_NAME);
            server.registerMBean(this, objectName);
            name = objectName;
        } catch (InstanceAlreadyExistsException e) {
            LOG.warn("{} is registered already (another agent in this JVM?): not registering this one", OBJECT_NAME);
        } catch (JMException e) {
            LOG.error("Cannot register {}: {}", OBJECT_NAME, e.toString());
        }
    }

    @Deactivate
    void deactivate() {
        if (name != null) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
            } catch (JMException e) {
                LOG.debug("unregister {}: {}", name, e.toString());
            }
            name = null;
        }
    }

    synchronized AgentSummary summary() {
        long now = clock.getAsLong();
        if (cached == null || now - cachedAt >= MAX_AGE_NANOS) {
            cached = status.summary();
            cachedAt = now;
        }
        return cached;
    }

    @Override
    public String getVmId() {
        return summary().vmId();
    }

    @Override
    public String getPartition() {
        return summary().partition();
    }

    @Override
    public String getVersion() {
        return summary().version();
    }

    @Override
    public String getConnection() {
        return summary().connection();
    }

    @Override
    public long getUptimeSeconds() {
        return summary().uptimeMillis() / 1000;
    }

    @Override
    public int getCapacityCpuMillis() {
        return summary().capacity().cpuMillis();
    }

    @Override
    public int getCapacityMemoryMiB() {
        return summary().capacity().memoryMiB();
    }

    @Override
    public int getAllocatedCpuMillis() {
        return summary().allocated().cpuMillis();
    }

    @Override
    public int getAllocatedMemoryMiB() {
        return summary().allocated().memoryMiB();
    }

    @Override
    public long getMemoryUsedBytes() {
        return summary().memoryUsedBytes();
    }

    @Override
    public int getProcesses() {
        return summary().processCount();
    }

    @Override
    public int getProcessesRunning() {
        return summary().processes(ProcessState.RUNNING);
    }

    @Override
    public int getProcessesStarting() {
        AgentSummary s = summary();
        return s.processes(ProcessState.STARTING) + s.processes(ProcessState.FETCHING);
    }

    @Override
    public int getProcessesFailed() {
        return summary().processes(ProcessState.FAILED);
    }

    @Override
    public int getProcessesPending() {
        return summary().processes(ProcessState.PENDING);
    }

    @Override
    public Map<String, Integer> getProcessesByState() {
        Map<String, Integer> byName = new LinkedHashMap<>();
        summary().processesByState().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> byName.put(e.getKey().name(), e.getValue()));
        return byName;
    }

    @Override
    public int getPortsInUse() {
        return summary().portsInUse();
    }

    @Override
    public int getPortsFree() {
        AgentSummary s = summary();
        return s.portRangeEnd() - s.portRangeStart() + 1 - s.portsInUse();
    }

    @Override
    public int getImageCount() {
        return summary().imageCount();
    }

    @Override
    public long getImageCacheBytes() {
        return summary().imageCacheBytes();
    }

    @Override
    public long getImageCacheLimitBytes() {
        return summary().imageCacheLimitBytes();
    }

    @Override
    public int getImageFetches() {
        return summary().imageFetches();
    }

    @Override
    public Map<String, String> getRuntimes() {
        return new LinkedHashMap<>(summary().runtimes());
    }

    @Override
    public String getPublishAddress() {
        return summary().publishAddress();
    }

    @Override
    public String[] getAllowedSources() {
        return summary().allowedSources().toArray(String[]::new);
    }

    @Override
    public long getRefusedConnections() {
        return summary().refusedConnections();
    }

    @Override
    public String getProblem() {
        return summary().problem();
    }
}
