package io.stratos.lxc.api.event;

/**
 * What Stratos posts on OSGi EventAdmin, asynchronously and only after the change is committed.
 *
 * <p>Topics are {@code io/stratos/lxc/<kind>/<WHAT>}: {@code process/<ProcessState>} (and {@code process/REMOVED}),
 * {@code vm/<VmState>} (and {@code vm/REMOVED}), {@code scaling/UP|DOWN}, {@code rollout/STARTED|PROGRESS|FINISHED|ROLLED_BACK}.
 * A handler registered on {@link #ALL} gets every one, on {@code io/stratos/lxc/process/*} every process event.
 *
 * <p>Properties are flat and in Karaf Decanter's shape, so its EventAdmin collector and any appender ship them as they
 * are: {@link #TYPE} (which kind, e.g. {@code stratos-process}), {@link #TIMESTAMP} (epoch milliseconds, a Long), and
 * plain values only (String, Integer, Long, Boolean): never a map, list or object.
 */
public final class StratosEvents {

    private StratosEvents() {
    }

    /** Every Stratos topic, for an EventHandler's {@code event.topics} (and Decanter's collector configuration). */
    public static final String ALL = "io/stratos/lxc/*";

    public static final String PROCESS_PREFIX = "io/stratos/lxc/process/";
    public static final String VM_PREFIX = "io/stratos/lxc/vm/";
    public static final String SCALING_PREFIX = "io/stratos/lxc/scaling/";
    public static final String ROLLOUT_PREFIX = "io/stratos/lxc/rollout/";

    /** Topic of a process that is gone from the controller (stopped and forgotten, or its subscription removed). */
    public static final String PROCESS_REMOVED = PROCESS_PREFIX + "REMOVED";
    /** Topic of a VM the controller forgot (destroyed, or its partition deleted). */
    public static final String VM_REMOVED = VM_PREFIX + "REMOVED";
    /** Topic of a LOST VM that the controller had its adapter destroy (kept from before this package; also a vm event). */
    public static final String VM_DESTROYED = "io/stratos/lxc/controller/VM_DESTROYED";
    public static final String SCALING_UP = SCALING_PREFIX + "UP";
    public static final String SCALING_DOWN = SCALING_PREFIX + "DOWN";
    /** A new artifact version began to roll out. */
    public static final String ROLLOUT_STARTED = ROLLOUT_PREFIX + "STARTED";
    /** One more process of a rolling update runs the new version. */
    public static final String ROLLOUT_PROGRESS = ROLLOUT_PREFIX + "PROGRESS";
    /** The new version serves on every process. */
    public static final String ROLLOUT_FINISHED = ROLLOUT_PREFIX + "FINISHED";
    /** The new version failed and the previous one is rolled back in. */
    public static final String ROLLOUT_ROLLED_BACK = ROLLOUT_PREFIX + "ROLLED_BACK";

    /** The topic of a process entering a state (a {@code ProcessState} name). */
    public static String processTopic(String state) {
        return PROCESS_PREFIX + state;
    }

    /** The topic of a VM entering a state (a {@code VmState} name). */
    public static String vmTopic(String state) {
        return VM_PREFIX + state;
    }

    // ---- the values of the type property ---------------------------------------------------------

    public static final String TYPE_PROCESS = "stratos-process";
    public static final String TYPE_VM = "stratos-vm";
    public static final String TYPE_SCALING = "stratos-scaling";
    public static final String TYPE_ROLLOUT = "stratos-rollout";

    // ---- property names --------------------------------------------------------------------------

    /** Which kind of event (one of the TYPE_ values); Decanter's collector keeps it as {@code eventType}. */
    public static final String TYPE = "type";
    /** When the change was committed, epoch milliseconds (Long). */
    public static final String TIMESTAMP = "timestamp";
    public static final String ALIAS = "alias";
    public static final String TENANT = "tenant";
    public static final String CARTRIDGE = "cartridge";
    public static final String PROCESS_ID = "processId";
    public static final String VM_ID = "vmId";
    public static final String PARTITION = "partition";
    public static final String ADAPTER = "adapter";
    public static final String STATE = "state";
    /** The state before; empty for a process or VM that was just created. */
    public static final String PREVIOUS_STATE = "previousState";
    public static final String REASON = "reason";
    /** Scaling: {@code up} or {@code down}. */
    public static final String DIRECTION = "direction";
    /** Scaling: {@code subscription} (processes) or {@code partition} (VMs). */
    public static final String LEVEL = "level";
    /** Scaling: the alias or partition name scaled. */
    public static final String TARGET = "target";
    public static final String POLICY = "policy";
    /** Scaling: the count before (Integer). */
    public static final String FROM = "from";
    /** Scaling: the count asked for (Integer). */
    public static final String TO = "to";
    /** Scaling: whether the controller took the change (Boolean). */
    public static final String APPLIED = "applied";
    /** The cartridge's version (String). */
    public static final String CARTRIDGE_VERSION = "cartridgeVersion";
    /** The application artifact version a process runs, or a rollout rolls out (Integer; 0 is the image's own content). */
    public static final String ARTIFACT_VERSION = "artifactVersion";
    /** Rollout: the artifact version serving before it (Integer). */
    public static final String PREVIOUS_ARTIFACT_VERSION = "previousArtifactVersion";
    public static final String DIGEST = "digest";
    /** Rollout: processes running the new version (Integer). */
    public static final String UPDATED = "updated";
    /** Rollout: processes of the subscription in the rollout (Integer). */
    public static final String TOTAL = "total";
}
