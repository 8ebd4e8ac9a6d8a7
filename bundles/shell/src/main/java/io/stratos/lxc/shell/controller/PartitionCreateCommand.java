package io.stratos.lxc.shell.controller;

import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.controller.Partition;
import io.stratos.lxc.api.controller.PartitionSpec;
import io.stratos.lxc.api.controller.Resources;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "stratos", name = "partition-create", description = "Creates a partition: where one cartridge type runs, and on how many VMs.")
@Service
public class PartitionCreateCommand implements Action {

    @Argument(index = 0, name = "name", description = "Partition name (a DNS label)", required = true)
    String name;

    @Argument(index = 1, name = "cartridge", description = "The cartridge type it serves", required = true)
    String cartridge;

    @Option(name = "--adapter", description = "IaaS adapter id (default: local)")
    String adapter = "local";

    @Option(name = "--min-vms", description = "Minimum VMs (default 1)")
    int minVms = 1;

    @Option(name = "--max-vms", description = "Maximum VMs (default: the minimum)")
    Integer maxVms;

    @Option(name = "--cpu", description = "CPU millicores per VM (default 2000)")
    int cpuMillis = 2000;

    @Option(name = "--memory", description = "Memory MiB per VM (default 2048)")
    int memoryMiB = 2048;

    @Reference
    CloudController controller;

    @Override
    public Object execute() {
        Partition partition = controller.createPartition(new PartitionSpec(name, cartridge, adapter, minVms,
                maxVms == null ? Math.max(1, minVms) : maxVms, new Resources(cpuMillis, memoryMiB), Map.of()));
        System.out.println("Partition " + partition.name() + " created for " + partition.cartridge() + " on adapter "
                + partition.adapter() + ": " + partition.minVms() + ".." + partition.maxVms() + " VMs");
        return null;
    }
}
