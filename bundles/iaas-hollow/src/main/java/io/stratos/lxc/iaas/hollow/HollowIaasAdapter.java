package io.stratos.lxc.iaas.hollow;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.config.ConfigValues;
import io.stratos.lxc.api.iaas.IaasAdapter;
import io.stratos.lxc.api.iaas.VmRef;
import io.stratos.lxc.api.iaas.VmSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark-only IaaS adapter ({@code hollow}): creating a VM appends its id and join token to a spool file
 * that the hollow-agent simulator (tools/hollow-agents) follows; the simulator then registers a simulated agent
 * over the real agent protocol. Installed by feature {@code stratos-iaas-hollow}, never by {@code stratos-lxc}.
 */
@Designate(ocd = HollowConfig.class)
@Component(configurationPid = HollowIaasAdapter.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = IaasAdapter.class)
public class HollowIaasAdapter implements IaasAdapter {

    static final String PID = "io.stratos.lxc.iaas.hollow";
    private static final Logger LOG = LoggerFactory.getLogger(HollowIaasAdapter.class);

    private volatile HollowSpool spool;

    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        ConfigValues values = ConfigValues.of(PID, properties);
        String data = System.getProperty("karaf.data", "data");
        Path file = Path.of(values.string("spoolFile", Path.of(data, "hollow-agents", "vms.spool").toString()));
        if (spool == null || !spool.file().equals(file)) {
            spool = new HollowSpool(file);
        }
        LOG.info("Hollow IaaS adapter ready: VMs are handed to the hollow-agent simulator through {}", file);
    }

    @Override
    public String id() {
        return "hollow";
    }

    /** Its simulated agents all run on this host and name 127.0.0.1: no process is reached through them anyway. */
    @Override
    public boolean vmsShareHostLoopback() {
        return true;
    }

    @Override
    public VmRef createVm(VmSpec spec) {
        try {
            return spool.create(spec);
        } catch (java.io.IOException e) {
            throw StratosException.unavailable("cannot write the hollow VM spool " + spool.file() + ": " + e.getMessage(),
                    "check the disk and " + PID + ".cfg spoolFile");
        }
    }

    @Override
    public void destroyVm(VmRef vm) {
        try {
            spool.destroy(vm);
        } catch (java.io.IOException e) {
            LOG.warn("Cannot write the hollow VM spool {}: {}", spool.file(), e.toString());
        }
    }

    @Override
    public List<VmRef> listVms() {
        return spool.list();
    }
}
