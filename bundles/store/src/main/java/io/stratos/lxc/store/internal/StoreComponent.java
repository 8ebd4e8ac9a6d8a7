package io.stratos.lxc.store.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.artifact.ArtifactStore;
import io.stratos.lxc.api.artifact.StoredArtifact;
import io.stratos.lxc.config.ConfigValues;
import io.stratos.lxc.api.status.ComponentState;
import io.stratos.lxc.api.status.ComponentStatus;
import io.stratos.lxc.api.status.StatusContributor;
import io.stratos.lxc.api.store.Cartridge;
import io.stratos.lxc.api.store.CartridgeImage;
import io.stratos.lxc.api.store.CartridgeStore;
import io.stratos.lxc.api.store.CartridgeUsage;
import io.stratos.lxc.api.store.ImageBlob;
import io.stratos.lxc.api.store.StoreStatistics;
import io.stratos.lxc.api.store.UploadResult;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link CartridgeStore} service, configured by PID {@code io.stratos.lxc.store}. A bad value
 * never stops it: the problem is logged with its key, the last good settings stay in force and the
 * status says UNCONFIGURED; if the directory cannot be opened the store answers UNAVAILABLE (503)
 * and the status says why.
 */
@Component(configurationPid = StoreSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {CartridgeStore.class, ArtifactStore.class, StatusContributor.class})
@org.osgi.service.metatype.annotations.Designate(ocd = StoreConfig.class)
public class StoreComponent implements CartridgeStore, ArtifactStore, StatusContributor {

    private static final Logger LOG = LoggerFactory.getLogger(StoreComponent.class);

    /** Who uses which version (the controller's subscriptions); consulted before a delete. */
    final List<CartridgeUsage> usages = new CopyOnWriteArrayList<>();

    private volatile FileCartridgeStore store;
    private volatile FileArtifactStore artifacts;
    private volatile String configProblems = "";
    private volatile String openProblem = "";

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addUsage(CartridgeUsage usage) {
        usages.add(usage);
    }

    void removeUsage(CartridgeUsage usage) {
        usages.remove(usage);
    }

    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        ConfigValues values = StoreSettings.read(properties);
        StoreSettings read = StoreSettings.from(values);
        if (!values.valid()) {
            configProblems = values.describeProblems();
            LOG.error("Invalid store configuration, keeping {}: {}", store == null ? "none" : store.settings(), configProblems);
            if (store != null) {
                return;
            }
            // Nothing good yet: run on the defaults for the keys that were wrong (ConfigValues put them in place).
        } else {
            configProblems = "";
        }
        FileCartridgeStore current = store;
        if (current != null && current.settings().equals(read)) {
            return;
        }
        try {
            FileCartridgeStore opened = FileCartridgeStore.open(read, () -> usages);
            artifacts = new FileArtifactStore(read.directory().resolve("artifacts"), read.maxArtifactBytes(),
                    4 * read.maxArtifactBytes(), read.maxEntries());
            store = opened;
            openProblem = "";
            opened.preload(read.preloadDirectory());
        } catch (Exception e) {
            openProblem = "cannot open the store at " + read.directory() + ": " + e;
            LOG.error("Cartridge store unavailable: {}", openProblem);
        }
    }

    private FileCartridgeStore store() {
        FileCartridgeStore current = store;
        if (current == null) {
            throw StratosException.unavailable("the cartridge store is not available: " + openProblem,
                    "fix io.stratos.lxc.store.cfg (see stratos:status)");
        }
        return current;
    }

    @Override
    public ComponentStatus componentStatus() {
        FileCartridgeStore current = store;
        if (current == null) {
            return new ComponentStatus("store", ComponentState.UNAVAILABLE, openProblem + " " + configProblems);
        }
        if (!configProblems.isEmpty()) {
            return new ComponentStatus("store", ComponentState.UNCONFIGURED, configProblems);
        }
        if (!openProblem.isEmpty()) {
            return new ComponentStatus("store", ComponentState.DEGRADED, openProblem + "; still serving " + current.directory());
        }
        StoreStatistics stats = current.statistics();
        return new ComponentStatus("store", ComponentState.ACTIVE, stats.images() + " images of " + stats.cartridges()
                + " cartridges, " + stats.bytes() + " bytes in " + current.directory());
    }

    @Override
    public List<Cartridge> list() {
        return store().list();
    }

    @Override
    public Cartridge cartridge(String name) {
        return store().cartridge(name);
    }

    @Override
    public CartridgeImage image(String name, String versionOrTag) {
        return store().image(name, versionOrTag);
    }

    @Override
    public UploadResult upload(String name, String version, InputStream body, long declaredSize, String expectedDigest,
                               byte[] manifestJson) {
        return store().upload(name, version, body, declaredSize, expectedDigest, manifestJson);
    }

    @Override
    public void delete(String name, String version) {
        store().delete(name, version);
    }

    @Override
    public Cartridge tag(String name, String tag, String version) {
        return store().tag(name, tag, version);
    }

    @Override
    public Cartridge untag(String name, String tag) {
        return store().untag(name, tag);
    }

    @Override
    public ImageBlob blob(String digest) {
        return store().blob(digest);
    }

    @Override
    public StoredArtifact put(InputStream artifact) {
        store();
        return artifacts.put(artifact);
    }

    @Override
    public Optional<ImageBlob> open(String digest) {
        store();
        return artifacts.open(digest);
    }

    @Override
    public int retainOnly(java.util.Set<String> keep, java.time.Duration minAge) {
        store();
        return artifacts.retainOnly(keep, minAge);
    }

    @Override
    public long maxImageBytes() {
        return store().maxImageBytes();
    }

    @Override
    public StoreStatistics statistics() {
        FileCartridgeStore current = store;
        return current == null ? new StoreStatistics(0, 0, 0, 0, 0, 0, 0, 0) : current.statistics();
    }
}
