package io.stratos.lxc.shell.controller;

import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.controller.Partition;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "stratos", name = "partition-list", description = "Lists partitions with their VMs and pending processes.")
@Service
public class PartitionListCommand implements Action {

    @Reference
    CloudController controller;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        for (String column : new String[] {"Name", "Cartridge", "Adapter", "State", "VMs (ready)", "Desired (min..max)", "VM capacity", "Pending"}) {
            table.column(column);
        }
        for (Partition p : controller.partitions()) {
            table.addRow().addContent(p.name(), p.cartridge(), p.adapter(), p.state(), p.vms() + " (" + p.readyVms() + ")",
                    p.desiredVms() + " (" + p.minVms() + ".." + p.maxVms() + ")", p.vmCapacity().cpuMillis() + "m/" + p.vmCapacity().memoryMiB() + "MiB",
                    p.pending());
        }
        table.print(System.out);
        return null;
    }
}
