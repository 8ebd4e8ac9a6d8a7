package io.stratos.lxc.shell.controller;

import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.controller.PartitionVm;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "stratos", name = "vm-list", description = "Lists partition VMs with their state, capacity and allocation.")
@Service
public class VmListCommand implements Action {

    @Reference
    CloudController controller;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        for (String column : new String[] {"VM", "Address", "Partition", "Adapter", "State", "Allocated/Capacity", "Processes", "Runtimes", "Agent", "Images", "Last heartbeat", "Detail"}) {
            table.column(column);
        }
        for (PartitionVm vm : controller.vms()) {
            table.addRow().addContent(vm.id(), vm.address() == null ? "-" : vm.address(), vm.partition(), vm.adapter(), vm.state(),
                    vm.allocated().cpuMillis() + "m/" + vm.capacity().cpuMillis() + "m " + vm.allocated().memoryMiB() + "/"
                            + vm.capacity().memoryMiB() + "MiB",
                    vm.processes(), String.join(",", vm.runtimes()), vm.agentVersion() == null ? "-" : vm.agentVersion(),
                    vm.cachedImages() == null ? 0 : vm.cachedImages().size(), vm.lastHeartbeat() == null ? "-" : vm.lastHeartbeat(),
                    vm.detail());
        }
        table.print(System.out);
        return null;
    }
}
