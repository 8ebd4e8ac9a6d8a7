package io.stratos.lxc.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.agent.status.AgentImage;
import io.stratos.lxc.agent.status.AgentProcess;
import io.stratos.lxc.agent.status.AgentStatus;
import io.stratos.lxc.agent.status.AgentSummary;
import io.stratos.lxc.agent.status.LogTail;
import io.stratos.lxc.api.agent.DesiredProcess;
import io.stratos.lxc.api.controller.ProcessMetrics;
import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.controller.Resources;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class AgentMBeanComponentTest {

    private static final class CountingStatus implements AgentStatus {
        final AtomicInteger summaries = new AtomicInteger();

        @Override
        public AgentSummary summary() {
            summaries.incrementAndGet();
            return new AgentSummary("vm-1", "static", "0.1.0", "standalone", 61_000, new Resources(2000, 1024),
                    new Resources(250, 128), 4096,
                    AgentStatusView.countByState(List.of(ProcessState.RUNNING, ProcessState.RUNNING, ProcessState.FAILED,
                            ProcessState.FETCHING)),
                    Map.of("lxc", "available"), 20000, 20098, 3, 1, 1000, 10_000, 1);
        }

        @Override
        public List<AgentProcess> processes() {
            return List.of();
        }

        @Override
        public List<AgentImage> images() {
            return List.of();
        }

        @Override
        public LogTail logTail(String processId, int lines) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void theMBeanIsInThePlatformServerWithCountsAndOneSummaryPerSecond() throws Exception {
        AtomicLong nanos = new AtomicLong();
        CountingStatus status = new CountingStatus();
        AgentMBeanComponent component = new AgentMBeanComponent(nanos::get);
        component.status = status;
        component.activate();
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName("io.stratos.lxc:type=Agent");
            assertThat(server.getAttribute(name, "VmId")).isEqualTo("vm-1");
            assertThat(server.getAttribute(name, "Processes")).isEqualTo(4);
            assertThat(server.getAttribute(name, "ProcessesRunning")).isEqualTo(2);
            assertThat(server.getAttribute(name, "ProcessesStarting")).isEqualTo(1);
            assertThat(server.getAttribute(name, "ProcessesFailed")).isEqualTo(1);
            assertThat(server.getAttribute(name, "PortsFree")).isEqualTo(96);
            assertThat(server.getAttribute(name, "UptimeSeconds")).isEqualTo(61L);
            assertThat(server.getAttribute(name, "ImageCacheBytes")).isEqualTo(1000L);
            assertThat(status.summaries).hasValue(1);
            nanos.addAndGet(1_000_000_000L);
            server.getAttribute(name, "AllocatedMemoryMiB");
            assertThat(status.summaries).hasValue(2);
        } finally {
            component.deactivate();
        }
        assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(new ObjectName("io.stratos.lxc:type=Agent"))).isFalse();
    }

    @Test
    void everyStateIsCountedAndAllocationLeavesOutStoppedProcesses() {
        assertThat(AgentStatusView.countByState(List.of(ProcessState.RUNNING)))
                .hasSize(ProcessState.values().length).containsEntry(ProcessState.RUNNING, 1).containsEntry(ProcessState.FAILED, 0);
        DesiredProcess a = new DesiredProcess("a", "hello", "static-httpd", "1.0.0", "sha256:x", "lxc", 250, 128, Map.of());
        DesiredProcess b = new DesiredProcess("b", "hello", "static-httpd", "1.0.0", "sha256:x", "lxc", 100, 64, Map.of());
        DesiredProcess c = new DesiredProcess("c", "hello", "static-httpd", "1.0.0", "sha256:x", "lxc", 100, 64, Map.of());
        assertThat(AgentStatusView.allocated(List.of(
                new Reconciler.Observed(a, ProcessState.RUNNING, 20000, "", 0, ProcessMetrics.NONE),
                new Reconciler.Observed(b, ProcessState.PENDING, 0, "", 0, ProcessMetrics.NONE),
                new Reconciler.Observed(c, ProcessState.STOPPED, 0, "", 0, ProcessMetrics.NONE))))
                .isEqualTo(new Resources(350, 192));
    }
}
