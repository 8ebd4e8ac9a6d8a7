package io.stratos.lxc.controller.management;

/** JMX view {@code io.stratos.lxc:type=Partition,name=<name>}. */
public interface PartitionMBean {

    String getName();

    String getCartridge();

    String getAdapter();

    /** ACTIVE, or ADAPTER_UNAVAILABLE while its adapter bundle is away. */
    String getState();

    int getDesiredVms();

    int getVms();

    int getReadyVms();

    /** Processes that no VM of the partition has room for. */
    int getPendingProcesses();

    /** Same as {@code stratos:partition-scale}. */
    void scale(int vms);
}
