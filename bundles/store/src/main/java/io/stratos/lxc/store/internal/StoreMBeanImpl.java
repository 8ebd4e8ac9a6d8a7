package io.stratos.lxc.store.internal;

import io.stratos.lxc.api.store.CartridgeStore;
import io.stratos.lxc.store.management.StoreMBean;
import java.util.ArrayList;
import java.util.List;
import javax.management.NotCompliantMBeanException;
import javax.management.StandardMBean;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Exported by Karaf's JMX whiteboard because of its {@code jmx.objectname} property. */
@Component(service = StoreMBean.class, property = "jmx.objectname=io.stratos.lxc:type=Store")
public class StoreMBeanImpl extends StandardMBean implements StoreMBean {

    @Reference
    CartridgeStore store;

    public StoreMBeanImpl() throws NotCompliantMBeanException {
        super(StoreMBean.class);
    }

    @Override
    public int getCartridgeCount() {
        return store.statistics().cartridges();
    }

    @Override
    public int getImageCount() {
        return store.statistics().images();
    }

    @Override
    public long getBytes() {
        return store.statistics().bytes();
    }

    @Override
    public long getUploads() {
        return store.statistics().uploads();
    }

    @Override
    public long getRejects() {
        return store.statistics().rejects();
    }

    @Override
    public long getDuplicates() {
        return store.statistics().duplicates();
    }

    @Override
    public long getDownloads() {
        return store.statistics().downloads();
    }

    @Override
    public String[] getImages() {
        List<String> lines = new ArrayList<>();
        store.list().forEach(cartridge -> cartridge.versions().forEach(image -> lines.add(image.name() + " "
                + image.version() + " " + image.digest() + " " + image.size() + " " + String.join(",", image.tags()))));
        return lines.toArray(String[]::new);
    }

    @Override
    public void deleteVersion(String name, String version) {
        store.delete(name, version);
    }

    @Override
    public void tag(String name, String tag, String version) {
        store.tag(name, tag, version);
    }
}
