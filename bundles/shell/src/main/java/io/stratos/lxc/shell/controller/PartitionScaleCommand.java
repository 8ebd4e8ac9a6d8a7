package io.stratos.lxc.shell.controller;

import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.controller.Partition;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "stratos", name = "partition-scale", description = "Sets a partition's number of VMs within its min and max; scaling in drains VMs first.")
@Service
public class PartitionScaleCommand implements Action {

    @Argument(index = 0, name = "name", required = true)
    @Completion(PartitionCompleter.class)
    String name;

    @Argument(index = 1, name = "vms", required = true)
    int vms;

    @Reference
    CloudController controller;

    @Override
    public Object execute() {
        Partition partition = controller.scalePartition(name, vms);
        System.out.println("Partition " + partition.name() + " scaled to " + partition.desiredVms() + " VMs");
        return null;
    }
}
