package io.stratos.lxc.iaas.jclouds;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.iaas.VmRef;
import io.stratos.lxc.api.iaas.VmSpec;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.jclouds.ContextBuilder;
import org.jclouds.compute.ComputeService;
import org.jclouds.compute.ComputeServiceContext;
import org.jclouds.compute.RunNodesException;
import org.jclouds.compute.domain.ComputeMetadata;
import org.jclouds.compute.domain.NodeMetadata;
import org.jclouds.compute.domain.Template;
import org.jclouds.compute.domain.TemplateBuilder;
import org.jclouds.compute.options.TemplateOptions;
import org.jclouds.logging.slf4j.config.SLF4JLoggingModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configuration's connection to a jclouds compute provider: the {@link ComputeServiceContext} is built
 * once and closed by {@link #close()} (an open context keeps threads alive). A VM is the node named
 * {@code <group>-<vmId>}, with user metadata {@code stratos-vm-id} where the provider keeps it, so the
 * adapter finds its VMs again after a restart and never creates a second node for the same VM.
 */
final class JcloudsCloud implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JcloudsCloud.class);
    static final String VM_ID_METADATA = "stratos-vm-id";
    static final String PARTITION_METADATA = "stratos-partition";

    private final JcloudsSettings settings;
    private final ComputeServiceContext context;
    private final DockerVms docker;

    private JcloudsCloud(JcloudsSettings settings, ComputeServiceContext context) {
        this.settings = settings;
        this.context = context;
        this.docker = settings.docker() ? new DockerVms(context, settings) : null;
    }

    /** Builds the context; a provider that is not installed is a configuration problem of key {@code provider}. */
    static JcloudsCloud connect(JcloudsSettings settings) {
        ContextBuilder builder;
        // jclouds finds providers through its own OSGi registry; Guice wants jclouds' class loader for proxies.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(ContextBuilder.class.getClassLoader());
        try {
            try {
                builder = ContextBuilder.newBuilder(settings.provider());
            } catch (java.util.NoSuchElementException e) {
                throw new NotInstalledException(settings.provider());
            }
            Properties overrides = new Properties();
            // fail fast: the controller retries a VM whose creation failed
            overrides.setProperty("jclouds.so-timeout", "60000");
            overrides.setProperty("jclouds.connection-timeout", "10000");
            if (!settings.region().isEmpty()) {
                overrides.setProperty("jclouds.regions", settings.region());
            }
            settings.overrides().forEach(overrides::setProperty);
            builder.credentials(settings.identity(), settings.credential())
                    .modules(List.of(new SLF4JLoggingModule()))
                    .overrides(overrides);
            if (!settings.endpoint().isEmpty()) {
                builder.endpoint(settings.endpoint());
            }
            return new JcloudsCloud(settings, builder.buildView(ComputeServiceContext.class));
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** The provider named in {@code provider} is not installed in this Karaf. */
    static final class NotInstalledException extends RuntimeException {
        NotInstalledException(String provider) {
            super("jclouds provider or api '" + provider + "' is not installed (yet): feature:install jclouds-" + provider
                    + " for a provider such as aws-ec2, or jclouds-api-" + provider + " for an api such as openstack-nova or docker");
        }
    }

    private ComputeService compute() {
        return context.getComputeService();
    }

    String nodeName(String vmId) {
        return settings.group() + "-" + vmId;
    }

    /**
     * Creates the VM's node, or returns the one that already runs for it (a controller that crashed after
     * the create but before it stored the reference asks again).
     */
    VmRef create(VmSpec spec) {
        Optional<NodeMetadata> existing = find(spec.vmId());
        if (existing.isPresent()) {
            NodeMetadata node = existing.get();
            if (node.getStatus() == NodeMetadata.Status.RUNNING || node.getStatus() == NodeMetadata.Status.PENDING) {
                LOG.info("VM {} already exists as node {} ({}); not creating another", spec.vmId(), node.getId(), node.getStatus());
                return new VmRef(spec.vmId(), node.getId());
            }
            LOG.info("VM {}: destroying its {} node {} before creating it again", spec.vmId(), node.getStatus(), node.getId());
            destroyNode(spec.vmId(), node.getId());
        }
        long running = vms().size();
        if (running >= settings.maxVms()) {
            throw StratosException.unavailable("the jclouds adapter already runs " + running + " VMs (maxVms)",
                    "raise maxVms in " + JcloudsSettings.CFG + " or destroy VMs");
        }
        Map<String, String> template = spec.template() == null ? Map.of() : spec.template();
        int portStart = docker != null ? docker.freePortRangeStart() : settings.portRangeStart();
        Map<String, String> values = AgentLaunch.values(spec, settings, portStart);

        TemplateBuilder builder = compute().templateBuilder();
        String imageId = template.getOrDefault("imageId", settings.imageId());
        if (imageId == null || imageId.isBlank()) {
            throw StratosException.invalid("template.imageId", "no image for VM " + spec.vmId()
                    + ": set imageId in " + JcloudsSettings.CFG + " or in the partition's template", null);
        }
        builder.imageId(docker != null ? docker.resolveImage(imageId) : imageId);
        String hardwareId = template.getOrDefault("hardwareId", settings.hardwareId());
        if (hardwareId != null && !hardwareId.isBlank()) {
            builder.hardwareId(hardwareId);
        } else {
            int minRam = intValue(template, "minRam", settings.minRamMiB());
            double minCores = doubleValue(template, "minCores", settings.minCores());
            if (minRam > 0) {
                builder.minRam(minRam);
            }
            if (minCores > 0) {
                builder.minCores(minCores);
            }
        }
        String location = template.getOrDefault("locationId", settings.region());
        if (location != null && !location.isBlank()) {
            builder.locationId(location);
        }

        TemplateOptions options = compute().templateOptions();
        options.nodeNames(List.of(nodeName(spec.vmId())));
        options.userMetadata(VM_ID_METADATA, spec.vmId());
        options.userMetadata(PARTITION_METADATA, spec.partition());
        if (docker != null) {
            options = docker.options(options, AgentLaunch.environment(values, settings));
        } else {
            addUserData(options, AgentLaunch.render(readTemplate(), values));
        }
        builder.options(options);
        Template built = builder.build();

        long started = System.nanoTime();
        try {
            Set<? extends NodeMetadata> nodes = compute().createNodesInGroup(settings.group(), 1, built);
            NodeMetadata node = nodes.iterator().next();
            LOG.info("VM {} of partition {}: node {} ({}) created in {} ms on {}", spec.vmId(), spec.partition(), node.getId(),
                    node.getName(), (System.nanoTime() - started) / 1_000_000, settings.provider());
            return new VmRef(spec.vmId(), node.getId());
        } catch (RunNodesException e) {
            // Nodes that came up half-way cost money and hold names: remove them before the controller retries.
            for (NodeMetadata bad : e.getNodeErrors().keySet()) {
                destroyNode(spec.vmId(), bad.getId());
            }
            Throwable cause = e;
            if (!e.getNodeErrors().isEmpty()) {
                cause = e.getNodeErrors().values().iterator().next();
            } else if (!e.getExecutionErrors().isEmpty()) {
                cause = e.getExecutionErrors().values().iterator().next();
            }
            throw StratosException.unavailable("jclouds could not create VM " + spec.vmId() + " on " + settings.provider()
                    + ": " + cause.getMessage(), "check the template (image, hardware, location) and the provider's quota");
        }
    }

    /**
     * Cloud-init user data: providers whose options take {@code userData(byte[])} (aws-ec2, openstack-nova and
     * other EC2/Nova clouds) get it there; google-compute-engine gets it as its startup-script and user-data
     * metadata. Found by reflection so that this bundle does not depend on every provider.
     */
    private void addUserData(TemplateOptions options, String script) {
        try {
            Method userData = options.getClass().getMethod("userData", byte[].class);
            userData.invoke(options, (Object) script.getBytes(StandardCharsets.UTF_8));
            return;
        } catch (NoSuchMethodException e) {
            // next way
        } catch (ReflectiveOperationException e) {
            throw StratosException.unavailable("cannot set user data on " + settings.provider() + ": " + e, null);
        }
        if (settings.provider().startsWith("google-compute-engine") || settings.provider().equals("stub")) {
            options.userMetadata("startup-script", script);
            options.userMetadata("user-data", script);
            return;
        }
        throw StratosException.unavailable("jclouds provider " + settings.provider() + " takes no user data, so its VMs cannot start the agent",
                "use a provider with cloud-init user data (aws-ec2, openstack-nova, google-compute-engine) or docker");
    }

    private String readTemplate() {
        try {
            return Files.readString(settings.userDataTemplate(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw StratosException.unavailable("cannot read the user data template " + settings.userDataTemplate() + ": " + e.getMessage(),
                    "set userDataTemplate in " + JcloudsSettings.CFG);
        }
    }

    void destroy(VmRef vm) {
        String nodeId = vm.adapterRef();
        if (nodeId == null || nodeId.isBlank()) {
            nodeId = find(vm.vmId()).map(NodeMetadata::getId).orElse(null);
        }
        if (nodeId != null) {
            destroyNode(vm.vmId(), nodeId);
        }
        if (docker != null) {
            int removed = docker.removeAgentContainers(vm.vmId());
            if (removed > 0) {
                LOG.info("VM {}: removed {} cartridge containers its agent left on the host's dockerd", vm.vmId(), removed);
            }
        }
    }

    private void destroyNode(String vmId, String nodeId) {
        long started = System.nanoTime();
        compute().destroyNode(nodeId);
        LOG.info("VM {}: node {} destroyed in {} ms", vmId, nodeId, (System.nanoTime() - started) / 1_000_000);
    }

    /** Nodes of our group that are not gone, as VM refs. */
    List<VmRef> vms() {
        List<VmRef> refs = new ArrayList<>();
        for (ComputeMetadata metadata : compute().listNodes()) {
            if (!(metadata instanceof NodeMetadata node)) {
                continue;
            }
            String vmId = vmIdOf(node);
            if (vmId != null && node.getStatus() != NodeMetadata.Status.TERMINATED) {
                refs.add(new VmRef(vmId, node.getId()));
            }
        }
        return refs;
    }

    private Optional<NodeMetadata> find(String vmId) {
        for (ComputeMetadata metadata : compute().listNodes()) {
            if (metadata instanceof NodeMetadata node && vmId.equals(vmIdOf(node))
                    && node.getStatus() != NodeMetadata.Status.TERMINATED) {
                return Optional.of(node);
            }
        }
        return Optional.empty();
    }

    /** Our VM id of a node: its user metadata where the provider keeps it, else from its name {@code <group>-<vmId>}. */
    String vmIdOf(NodeMetadata node) {
        Map<String, String> metadata = node.getUserMetadata();
        String fromMetadata = metadata == null ? null : metadata.get(VM_ID_METADATA);
        String name = node.getName();
        String prefix = settings.group() + "-";
        if (fromMetadata != null) {
            return name == null || name.equals(prefix + fromMetadata) ? fromMetadata : null;
        }
        if (name != null && name.startsWith(prefix) && name.length() > prefix.length()) {
            return name.substring(prefix.length());
        }
        return null;
    }

    private static int intValue(Map<String, String> template, String key, int fallback) {
        String value = template.get(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw StratosException.invalid("template." + key, "template key " + key + " is '" + value + "', expected a whole number", null);
        }
    }

    private static double doubleValue(Map<String, String> template, String key, double fallback) {
        String value = template.get(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw StratosException.invalid("template." + key, "template key " + key + " is '" + value + "', expected a number", null);
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
