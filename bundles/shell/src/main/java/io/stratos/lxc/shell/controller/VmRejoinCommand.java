package io.stratos.lxc.shell.controller;

import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.controller.VmRejoin;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "stratos", name = "vm-rejoin",
        description = "Issues a new join token for a VM whose agent lost its secret; the old secret stops working. Prints the token.")
@Service
public class VmRejoinCommand implements Action {

    @Argument(index = 0, name = "vm", required = true, description = "the VM's id, as stratos:vm-list shows it")
    @Completion(VmCompleter.class)
    String vm;

    @Reference
    CloudController controller;

    @Override
    public Object execute() {
        VmRejoin rejoin = controller.rejoinVm(vm);
        System.out.println("VM " + rejoin.vmId() + ": new join token " + rejoin.joinToken() + " (works once)");
        System.out.println(rejoin.handedToVm() ? "Handed to the VM's agent by its adapter." : rejoin.hint());
        return null;
    }
}
