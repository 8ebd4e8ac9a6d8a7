package io.stratos.lxc.git.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.artifact.GitFetcher;
import io.stratos.lxc.config.ConfigValues;
import io.stratos.lxc.api.status.ComponentState;
import io.stratos.lxc.api.status.ComponentStatus;
import io.stratos.lxc.api.status.StatusContributor;
import java.io.OutputStream;
import java.util.Map;
import java.util.TreeSet;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link GitFetcher} service, configured by PID {@code io.stratos.lxc.git}. A bad value never stops it: the
 * problem is logged with its key, the last good settings (or the defaults) stay in force and the status says
 * UNCONFIGURED.
 */
@Designate(ocd = GitConfig.class)
@Component(configurationPid = GitSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {GitFetcher.class, StatusContributor.class})
public class GitComponent implements GitFetcher, StatusContributor {

    private static final Logger LOG = LoggerFactory.getLogger(GitComponent.class);

    private volatile RepositorySnapshot fetcher;
    private volatile String configProblems = "";

    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        ConfigValues values = GitSettings.read(properties);
        GitSettings read = GitSettings.from(values);
        if (!values.valid()) {
            configProblems = values.describeProblems();
            LOG.error("Invalid git configuration, keeping {}: {}", fetcher == null ? "the defaults" : fetcher.settings(),
                    configProblems);
            if (fetcher != null) {
                return;
            }
        } else {
            configProblems = "";
        }
        RepositorySnapshot current = fetcher;
        if (current != null && current.settings().equals(read)) {
            return;
        }
        RepositorySnapshot.deleteLeftovers(read.workDir());
        fetcher = new RepositorySnapshot(read);
    }

    /** JGit outlives this bundle: take back what was registered with it. */
    @Deactivate
    void deactivate() {
        fetcher = null;
        GitDaemonTransport.unregister();
        IsolatedSystemReader.uninstall();
    }

    @Override
    public String snapshot(String url, String ref, OutputStream tar, long maxBytes) {
        RepositorySnapshot current = fetcher;
        if (current == null) {
            throw StratosException.unavailable("git is not available", "see stratos:status");
        }
        return current.snapshot(url, ref, tar, maxBytes);
    }

    @Override
    public ComponentStatus componentStatus() {
        RepositorySnapshot current = fetcher;
        if (!configProblems.isEmpty()) {
            return new ComponentStatus("git", ComponentState.UNCONFIGURED, configProblems);
        }
        if (current == null) {
            return new ComponentStatus("git", ComponentState.UNAVAILABLE, "not configured yet");
        }
        GitSettings settings = current.settings();
        return new ComponentStatus("git", ComponentState.ACTIVE, "fetches over " + new TreeSet<>(settings.allowedSchemes())
                + " into " + settings.workDir());
    }
}
