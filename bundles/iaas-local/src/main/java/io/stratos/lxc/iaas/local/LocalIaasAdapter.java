package io.stratos.lxc.iaas.local;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.config.ConfigValues;
import io.stratos.lxc.api.iaas.IaasAdapter;
import io.stratos.lxc.api.iaas.VmRef;
import io.stratos.lxc.api.iaas.VmSpec;
import io.stratos.lxc.api.status.ComponentState;
import io.stratos.lxc.api.status.ComponentStatus;
import io.stratos.lxc.api.status.StatusContributor;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default IaaS adapter ({@code local}): partition VMs are agent processes on this host.
 * Stopping or updating this bundle leaves them running; the controller keeps their state and this
 * adapter finds them again by their directories when it returns.
 */
@Designate(ocd = LocalConfig.class)
@Component(configurationPid = LocalSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {IaasAdapter.class, StatusContributor.class})
public class LocalIaasAdapter implements IaasAdapter, StatusContributor {

    private static final Logger LOG = LoggerFactory.getLogger(LocalIaasAdapter.class);

    private volatile LocalVms vms;
    private volatile LocalSettings settings;
    private volatile String configProblems = "";
    /** Why network = namespace fell back to this host's network, or empty. */
    private volatile String noNamespaces = "";

    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        ConfigValues values = ConfigValues.of(LocalSettings.PID, properties);
        LocalSettings read = LocalSettings.from(values);
        if (values.valid() || settings == null) {
            boolean namespaces = false;
            String why = "";
            if (read.network() == LocalSettings.NetworkMode.NAMESPACE) {
                String whyNot = VmNetwork.whyNot(Commands.SYSTEM);
                namespaces = whyNot == null;
                why = whyNot == null ? "" : whyNot;
                if (!namespaces && !why.equals(noNamespaces)) {
                    LOG.warn("network = namespace: local VMs cannot get network namespaces here ({}); they use this host's network"
                            + " and publish on 127.0.0.1 (network = host)", why);
                }
            }
            LocalVms previous = vms;
            settings = read;
            noNamespaces = why;
            vms = new LocalVms(read, namespaces, Commands.SYSTEM);
            if (previous != null) {
                previous.close();
            }
        }
        configProblems = values.describeProblems();
        if (!values.valid()) {
            LOG.error("Invalid configuration, using {}: {}", settings, configProblems);
        }
        LOG.info("Local IaaS adapter ready: {} running VMs under {}, {}", vms.running(), settings.vmsDirectory(), networkSummary());
    }

    @Deactivate
    void deactivate() {
        LocalVms current = vms;
        if (current != null) {
            current.close();
        }
    }

    private String networkSummary() {
        return vms.network().map(n -> "each in a network namespace of its own on bridge " + n.bridge() + " (" + n.subnet() + ")")
                .orElse(noNamespaces.isEmpty() ? "on this host's network (network = host)"
                        : "on this host's network, as network namespaces cannot be made here: " + noNamespaces);
    }

    @Override
    public String id() {
        return "local";
    }

    /** With network = host its VMs are agents on this host publishing on 127.0.0.1 (and VMs made so before a change). */
    @Override
    public boolean vmsShareHostLoopback() {
        return vms.anyOnHostNetwork();
    }

    /** With network = namespace, its VMs' addresses are in vmSubnet. */
    @Override
    public Optional<String> vmNetwork() {
        return vms.network().map(n -> n.subnet().toString());
    }

    @Override
    public VmRef createVm(VmSpec spec) {
        if (!configProblems.isEmpty()) {
            throw StratosException.unavailable("the local adapter is misconfigured: " + configProblems,
                    "fix etc/io.stratos.lxc.iaas.local.cfg");
        }
        return vms.create(spec);
    }

    @Override
    public void destroyVm(VmRef vm) {
        vms.destroy(vm);
    }

    @Override
    public List<VmRef> listVms() {
        return vms.list();
    }

    /** A local VM's directory is on this host: the adapter puts the token where the agent looks for it. */
    @Override
    public boolean handOverJoinToken(VmRef vm, String joinToken) {
        return vms.handOverJoinToken(vm, joinToken);
    }

    /** Its slots: each VM has a port range of its own (maxVms in the .cfg). */
    @Override
    public OptionalInt maxVms() {
        return OptionalInt.of(settings.maxVms());
    }

    @Override
    public ComponentStatus componentStatus() {
        if (!configProblems.isEmpty()) {
            return new ComponentStatus("iaas-local", ComponentState.UNCONFIGURED, configProblems);
        }
        if (!Files.isRegularFile(settings.agentDistribution())) {
            return new ComponentStatus("iaas-local", ComponentState.DEGRADED,
                    "agent distribution " + settings.agentDistribution() + " is missing");
        }
        return new ComponentStatus("iaas-local", ComponentState.ACTIVE, vms.running() + " local VMs running, " + networkSummary());
    }
}
