package io.stratos.lxc.controller.management;

/** JMX view {@code io.stratos.lxc:type=Subscription,alias=<alias>}. */
public interface SubscriptionMBean {

    String getAlias();

    String getTenant();

    String getCartridge();

    String getVersion();

    int getDesiredProcesses();

    int getMinProcesses();

    int getMaxProcesses();

    /** Processes per state, e.g. {@code RUNNING=3}. */
    String[] getProcesses();

    String getEndpoint();

    /** The application version serving on every process (0: the cartridge image's own content). */
    int getDeployedArtifact();

    /** The application version wanted; differs from the deployed one while a rollout runs. */
    int getDesiredArtifact();

    /** IDLE, ROLLING_OUT or FAILED (the last rollout stopped and the previous version came back). */
    String getRollout();

    /** Application versions, newest first: {@code <n> <state> <source> <digest> <reason>}, as {@code stratos:artifact-list}. */
    String[] getArtifactHistory();

    /** Same as {@code stratos:scale}. */
    void scale(int processes);
}
