package io.stratos.lxc.shell.controller;

import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.controller.PartitionVm;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes VM ids. */
@Service
public class VmCompleter implements Completer {

    @Reference
    CloudController controller;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter();
        for (PartitionVm vm : controller.vms()) {
            delegate.getStrings().add(vm.id());
        }
        return delegate.complete(session, commandLine, candidates);
    }
}
