package io.stratos.lxc.git.internal;

import java.io.File;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * Keeps the controller host's git configuration (~/.gitconfig, /etc/gitconfig: url rewrites, proxies) out of
 * tenants' fetches, and spares JGit starting a {@code git} process to find the system configuration.
 */
final class IsolatedSystemReader extends SystemReader.Delegate {

    private IsolatedSystemReader(SystemReader delegate) {
        super(delegate);
    }

    static synchronized void install() {
        SystemReader current = SystemReader.getInstance();
        if (!(current instanceof IsolatedSystemReader)) {
            SystemReader.setInstance(new IsolatedSystemReader(current));
        }
    }

    /** Puts JGit's own reader back (this bundle is stopping: JGit must not keep a class of it). */
    static synchronized void uninstall() {
        if (SystemReader.getInstance() instanceof IsolatedSystemReader) {
            SystemReader.setInstance(null);
        }
    }

    @Override
    public FileBasedConfig openUserConfig(Config parent, FS fs) {
        return empty(parent, fs);
    }

    @Override
    public FileBasedConfig openSystemConfig(Config parent, FS fs) {
        return empty(parent, fs);
    }

    @Override
    public FileBasedConfig openJGitConfig(Config parent, FS fs) {
        return empty(parent, fs);
    }

    /** A configuration with no file behind it: loads as empty, is never saved. */
    private static FileBasedConfig empty(Config parent, FS fs) {
        return new FileBasedConfig(parent, null, fs) {
            @Override
            public void load() {
            }

            @Override
            public boolean isOutdated() {
                return false;
            }

            @Override
            public void save() {
            }
        };
    }
}
