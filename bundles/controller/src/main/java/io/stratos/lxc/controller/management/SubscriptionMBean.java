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

    /** Same as {@code stratos:scale}. */
    void scale(int processes);
}
