package io.stratos.lxc.shell.controller;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.artifact.ArtifactStatus;
import io.stratos.lxc.api.artifact.GitArtifactSpec;
import io.stratos.lxc.api.controller.CloudController;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;

@Command(scope = "stratos", name = "deploy",
        description = "Deploys an application into a subscription, rolled out one process at a time: a tar, tar.gz or zip file, "
                + "or a git repository's ref (--git URL [--ref main]).")
@Service
public class DeployCommand implements Action {

    @Argument(index = 0, name = "alias", required = true)
    @Completion(AliasCompleter.class)
    String alias;

    @Argument(index = 1, name = "file", description = "The application: a tar, tar.gz or zip file (not with --git)")
    @Completion(FileCompleter.class)
    String file;

    @Option(name = "--git", description = "A git repository URL the controller fetches")
    String git;

    @Option(name = "--ref", description = "Branch, tag or commit id of the git repository (default main)")
    String ref;

    @Option(name = "--refresh", description = "Fetch the subscription's git ref again and roll out a new commit")
    boolean refresh;

    @Reference
    CloudController controller;

    @Override
    public Object execute() throws Exception {
        int sources = (file != null ? 1 : 0) + (git != null ? 1 : 0) + (refresh ? 1 : 0);
        if (sources != 1) {
            throw StratosException.invalid("file", "give exactly one of: a file, --git URL, --refresh",
                    "stratos:deploy shop app.tar.gz | stratos:deploy --git https://host/app.git --ref main shop | stratos:deploy --refresh shop");
        }
        ArtifactStatus status;
        if (refresh) {
            status = controller.refreshArtifact(alias);
        } else if (git != null) {
            status = controller.deployArtifact(alias, new GitArtifactSpec(git, ref));
        } else {
            Path path = Path.of(file).toAbsolutePath();
            try (InputStream in = Files.newInputStream(path)) {
                status = controller.deployArtifact(alias, in);
            } catch (NoSuchFileException e) {
                throw StratosException.invalid("file", "no file " + path, "give the path of a tar, tar.gz or zip file");
            }
        }
        System.out.println(ArtifactListCommand.summary(status));
        return null;
    }
}
