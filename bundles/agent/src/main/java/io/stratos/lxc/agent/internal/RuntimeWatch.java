package io.stratos.lxc.agent.internal;

import io.stratos.lxc.agent.runtime.ContainerRuntime;
import io.stratos.lxc.agent.runtime.RuntimeAvailability;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which runtimes the reconciler can use in a pass: each present runtime asked once (a dockerd that stopped is noticed
 * here, and its processes wait for it), and each runtime the agent offers but that is not installed (its feature is
 * then installed) as unavailable with how to get it. A change of a runtime's availability is logged once.
 */
final class RuntimeWatch {

    private static final Logger LOG = LoggerFactory.getLogger(RuntimeWatch.class);

    private final AgentRuntimes runtimes;
    /** Whether each runtime was available at the last pass, to log a change once. */
    private final Map<String, Boolean> up = new ConcurrentHashMap<>();

    RuntimeWatch(AgentRuntimes runtimes) {
        this.runtimes = runtimes;
    }

    /** Every offered runtime's availability now, by name. */
    Map<String, RuntimeAvailability> survey() {
        Map<String, RuntimeAvailability> availability = new HashMap<>();
        Map<String, ContainerRuntime> present = runtimes.runtimes();
        for (ContainerRuntime runtime : present.values()) {
            availability.put(runtime.name(), availability(runtime));
        }
        for (String name : runtimes.offered()) {
            if (!present.containsKey(name)) {
                availability.put(name, RuntimeAvailability.no(runtimes.missing(name)));
            }
        }
        return availability;
    }

    /**
     * A process of this runtime waits for it: when it is not installed, its feature is installed now (once), and what
     * the process is told says so.
     */
    RuntimeAvailability wanted(String name, RuntimeAvailability unavailable) {
        if (runtimes.runtimes().containsKey(name)) {
            return unavailable;
        }
        runtimes.wanted(name);
        return RuntimeAvailability.no(runtimes.missing(name));
    }

    private RuntimeAvailability availability(ContainerRuntime runtime) {
        RuntimeAvailability a;
        try {
            a = runtime.available();
        } catch (RuntimeException e) {
            a = RuntimeAvailability.no(e.toString());
        }
        Boolean before = up.put(runtime.name(), a.available());
        if (before != null && before != a.available()) {
            if (a.available()) {
                LOG.info("Runtime {} is available again ({}): its processes are checked and restarted where needed",
                        runtime.name(), a.reason());
            } else {
                LOG.warn("Runtime {} became unavailable: {}; its processes wait for it", runtime.name(), a.reason());
            }
        }
        return a;
    }
}
