package io.stratos.lxc.shell.controller;

import io.stratos.lxc.api.artifact.ArtifactStatus;
import io.stratos.lxc.api.artifact.ArtifactVersion;
import io.stratos.lxc.api.controller.CloudController;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "stratos", name = "artifact-list",
        description = "Shows a subscription's application versions (newest first), which one serves, and the rollout's progress.")
@Service
public class ArtifactListCommand implements Action {

    @Argument(index = 0, name = "alias", required = true)
    @Completion(AliasCompleter.class)
    String alias;

    @Reference
    CloudController controller;

    @Override
    public Object execute() {
        ArtifactStatus status = controller.artifact(alias);
        System.out.println(summary(status));
        ShellTable table = new ShellTable();
        table.column("Version").alignRight();
        table.column("State");
        table.column("Source");
        table.column("Digest");
        table.column("Created");
        table.column("Reason").maxSize(80);
        for (ArtifactVersion v : status.history()) {
            String source = "git".equals(v.source()) ? v.git() + " " + v.ref() + " @" + shortCommit(v.commit()) : v.source();
            table.addRow().addContent(v.number(), v.state(), source, v.digest().substring(0, Math.min(19, v.digest().length())),
                    v.createdAt(), v.reason());
        }
        table.print(System.out);
        return null;
    }

    /** One line: what serves, what is wanted, how far the rollout is. */
    static String summary(ArtifactStatus s) {
        String serving = s.deployed() == 0 ? "the image's own content" : "version " + s.deployed();
        return s.alias() + ": " + serving + " serves; rollout " + s.rollout()
                + (s.desired() != s.deployed() ? " to version " + s.desired() + " (" + s.updated() + " of " + s.total() + " processes updated)" : "");
    }

    private static String shortCommit(String commit) {
        return commit == null ? "?" : commit.substring(0, Math.min(12, commit.length()));
    }
}
