package io.stratos.lxc.agent.shell;

import io.stratos.lxc.agent.status.AgentStatus;
import java.time.Instant;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "agent", name = "image-list", description = "Lists the images in this VM's cache: size, processes using them, last use.")
@Service
public class ImageListCommand implements Action {

    @Reference
    AgentStatus status;

    @Override
    public Object execute() {
        AgentFormat.images(status.images(), Instant.now(), System.out);
        return null;
    }
}
