package io.stratos.lxc.shell.controller;

import io.stratos.lxc.api.controller.CloudController;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "stratos", name = "partition-delete", description = "Deletes a partition that serves no subscription, and destroys its VMs.")
@Service
public class PartitionDeleteCommand implements Action {

    @Argument(index = 0, name = "name", required = true)
    @Completion(PartitionCompleter.class)
    String name;

    @Reference
    CloudController controller;

    @Override
    public Object execute() {
        controller.deletePartition(name);
        System.out.println("Partition " + name + " deleted");
        return null;
    }
}
