package io.stratos.lxc.controller.internal;

import io.stratos.lxc.api.controller.ProcessMetrics;
import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.controller.VmState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The controller's in-memory state: mutable entries, touched only under the controller's lock.
 * Fields marked "persisted" are in the database; the rest is observed state rebuilt from agent reports.
 */
final class Model {

    private Model() {
    }

    static final class PartitionEntry {
        final String name;              // persisted
        final String cartridge;         // persisted
        final String adapter;           // persisted
        final int minVms;               // persisted
        final int maxVms;               // persisted
        final Resources vmCapacity;     // persisted
        final Map<String, String> template; // persisted
        int desiredVms;                 // persisted
        int pending;
        Resources shortfall = Resources.ZERO;

        PartitionEntry(String name, String cartridge, String adapter, int minVms, int maxVms, Resources vmCapacity,
                       Map<String, String> template) {
            this.name = name;
            this.cartridge = cartridge;
            this.adapter = adapter;
            this.minVms = minVms;
            this.maxVms = maxVms;
            this.vmCapacity = vmCapacity;
            this.template = Map.copyOf(template);
        }
    }

    static final class VmEntry {
        final String id;                // persisted
        final String partition;         // persisted
        final String adapter;           // persisted
        String joinToken;               // persisted; works only while agentSecret is null (once), renewed by a rejoin
        String adapterRef;              // persisted
        VmState state;                  // persisted
        Resources capacity;             // persisted
        volatile String agentSecret;    // persisted; volatile: read without the controller's lock to authenticate
        List<String> runtimes = List.of(); // persisted
        String address;                  // persisted: where its processes are published, from its agent; null before
        Resources allocated = Resources.ZERO;
        long lastHeartbeatMillis;
        long revision = 1;
        String detail = "";
        String agentVersion;             // observed: from the agent's registration
        List<String> cachedImages = List.of(); // observed: from its registration and reports
        long lostSinceMillis;            // when it went LOST (or the controller started): counts to its destruction
        long nextDestroyMillis;          // a LOST VM whose destruction failed is asked again from then on
        boolean requestedBeforeLoad;     // REQUESTED when the state was loaded: an earlier controller may have asked for it

        VmEntry(String id, String partition, String adapter, String joinToken, VmState state, Resources capacity) {
            this.id = id;
            this.partition = partition;
            this.adapter = adapter;
            this.joinToken = joinToken;
            this.state = state;
            this.capacity = capacity;
        }

        Resources free() {
            return capacity.minus(allocated);
        }
    }

    static final class SubscriptionEntry {
        final String alias;             // persisted
        final String tenant;            // persisted
        final String cartridge;         // persisted
        final String version;           // persisted
        final String digest;            // persisted
        final String policy;            // persisted
        final int minProcesses;         // persisted
        final int maxProcesses;         // persisted
        int desiredProcesses;           // persisted
        final Map<String, String> env;  // persisted
        final Resources request;        // persisted
        final List<String> runtimes;    // persisted
        final String createdAt;         // persisted
        int desiredArtifact;            // persisted: version number wanted (0: the image's own content)
        int deployedArtifact;           // persisted: version number serving everywhere
        final List<ArtifactEntry> artifacts = new ArrayList<>(); // persisted: oldest first; old ones are pruned
        /** Its processes per state (index: ProcessState ordinal), kept up to date, so listing subscriptions counts nothing. */
        final int[] stateCounts = new int[ProcessState.values().length];

        ArtifactEntry artifact(int number) {
            for (ArtifactEntry a : artifacts) {
                if (a.number == number) {
                    return a;
                }
            }
            return null;
        }

        int nextArtifactNumber() {
            return artifacts.isEmpty() ? 1 : artifacts.get(artifacts.size() - 1).number + 1;
        }

        String artifactDigest(int number) {
            ArtifactEntry a = artifact(number);
            return a == null ? null : a.digest;
        }

        SubscriptionEntry(String alias, String tenant, String cartridge, String version, String digest, String policy,
                          int minProcesses, int maxProcesses, int desiredProcesses, Map<String, String> env,
                          Resources request, List<String> runtimes, String createdAt) {
            this.alias = alias;
            this.tenant = tenant;
            this.cartridge = cartridge;
            this.version = version;
            this.digest = digest;
            this.policy = policy;
            this.minProcesses = minProcesses;
            this.maxProcesses = maxProcesses;
            this.desiredProcesses = desiredProcesses;
            this.env = Map.copyOf(env);
            this.request = request;
            this.runtimes = List.copyOf(runtimes);
            this.createdAt = createdAt;
        }
    }

    /** One version of a subscription's application artifact. */
    static final class ArtifactEntry {
        final int number;               // persisted
        final String digest;            // persisted
        final long size;                // persisted
        final String source;            // persisted: upload or git
        final String git;               // persisted
        final String ref;               // persisted
        final String commit;            // persisted
        final String createdAt;         // persisted
        String state;                   // persisted
        String reason = "";             // persisted

        ArtifactEntry(int number, String digest, long size, String source, String git, String ref, String commit,
                      String createdAt, String state) {
            this.number = number;
            this.digest = digest;
            this.size = size;
            this.source = source;
            this.git = git;
            this.ref = ref;
            this.commit = commit;
            this.createdAt = createdAt;
            this.state = state;
        }
    }

    static final class ProcessEntry {
        final String id;                // persisted
        final String alias;             // persisted
        int artifact;                   // persisted: the artifact version it runs
        /** When it was created (or loaded): a rollout gives a new process this long to become healthy. */
        long createdMillis;
        String vmId;                    // persisted
        String runtime;                 // persisted
        boolean stopping;               // persisted
        ProcessState state;
        int hostPort;
        String reason = "";
        ProcessMetrics metrics = ProcessMetrics.NONE;
        /** Since when a stopping process drains (still running, out of the router); -1: not draining. Not persisted:
         *  after a controller restart a stopping process stops at once. */
        long drainingSinceMillis = -1;
        /** Order of creation (or loading): placement takes PENDING processes in this order. */
        long sequence;

        ProcessEntry(String id, String alias, String vmId, String runtime, boolean stopping, ProcessState state) {
            this.id = id;
            this.alias = alias;
            this.vmId = vmId;
            this.runtime = runtime;
            this.stopping = stopping;
            this.state = state;
        }
    }
}
