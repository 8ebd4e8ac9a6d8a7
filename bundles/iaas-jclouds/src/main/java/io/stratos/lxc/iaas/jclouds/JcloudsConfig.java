package io.stratos.lxc.iaas.jclouds;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The keys of PID {@code io.stratos.lxc.iaas.jclouds}, described for Karaf's {@code config:} commands and the web console (metatype);
 * the descriptions are those of the commented {@code io.stratos.lxc.iaas.jclouds.cfg} the distribution ships, and a test keeps both in step.
 * The component still reads the raw dictionary through its settings parser, so that a bad value is reported with
 * its key and the last good settings stay, instead of being silently converted to a default.
 */
@ObjectClassDefinition(name = "Stratos LXC jclouds IaaS adapter",
        description = "IaaS adapter \"jclouds\" (PID io.stratos.lxc.iaas.jclouds): partition VMs are nodes of any jclouds compute provider. Installed with `feature:install stratos-iaas-jclouds`; add the provider's jclouds feature too, e.g. `feature:install jclouds-aws-ec2`, `jclouds-api-openstack-nova` or `jclouds-google-compute-engine` (jclouds-api-docker comes with stratos-iaas-jclouds). A partition uses it with \"adapter\":\"jclouds\". A missing or bad key shows the adapter UNCONFIGURED (stratos:status, GET /status) naming the key; VM requests then wait. Changes apply at once (the jclouds context is rebuilt). See docs/real-cloud.md.")
@interface JcloudsConfig {

    @AttributeDefinition(name = "provider", required = false,
            description = "jclouds provider or api id: docker, aws-ec2, openstack-nova, google-compute-engine, ... (required: until it is set the adapter shows UNCONFIGURED) Not set by default; for example: docker.")
    String provider();

    @AttributeDefinition(name = "endpoint", required = false,
            description = "The provider's endpoint (empty: the provider's default). Required for docker (dockerd's TCP endpoint; start dockerd with --host tcp://127.0.0.1:2375) and for openstack-nova (Keystone, e.g. https://keystone:5000/v3). Not set by default; for example: http://127.0.0.1:2375.")
    String endpoint();

    @AttributeDefinition(name = "identity", required = false,
            description = "Account: EC2 access key id / secret key; OpenStack project:user / password; GCE service account e-mail / its private key (PEM). The credential is never logged. Not needed for docker.")
    String identity();

    @AttributeDefinition(name = "credential", required = false, type = AttributeType.PASSWORD,
            description = "Account: EC2 access key id / secret key; OpenStack project:user / password; GCE service account e-mail / its private key (PEM). The credential is never logged. Not needed for docker.")
    String credential();

    @AttributeDefinition(name = "jclouds.keystone.version", required = false,
            description = "Any key starting with \"jclouds.\" goes to jclouds as it is, e.g. for OpenStack Keystone v3. Not set by default; for example: 3.")
    String jclouds_keystone_version();

    @AttributeDefinition(name = "jclouds.keystone.scope", required = false,
            description = "Any key starting with \"jclouds.\" goes to jclouds as it is, e.g. for OpenStack Keystone v3. Not set by default; for example: project:my-project.")
    String jclouds_keystone_scope();

    @AttributeDefinition(name = "region", required = false,
            description = "Default location (region or zone), e.g. eu-west-1 or us-central1-a. A partition's template may override it with \"locationId\".")
    String region();

    @AttributeDefinition(name = "imageId", required = false,
            description = "Default VM image: an AMI (eu-west-1/ami-...), a Glance image id (RegionOne/<uuid>), a GCE image URL, or for docker a local image (repository:tag or sha256 id; it is never pulled). Partition templates may override it with \"imageId\".")
    String imageId();

    @AttributeDefinition(name = "hardwareId", required = false,
            description = "VM size: a hardware id (t3.small, a flavor id, e2-small), or the smallest with minCores / minRamMiB. Partition templates may override them with \"hardwareId\", \"minCores\", \"minRam\".")
    String hardwareId();

    @AttributeDefinition(name = "minCores", required = false,
            description = "VM size: a hardware id (t3.small, a flavor id, e2-small), or the smallest with minCores / minRamMiB. Partition templates may override them with \"hardwareId\", \"minCores\", \"minRam\". Not set by default; for example: 1.")
    int minCores();

    @AttributeDefinition(name = "minRamMiB", required = false,
            description = "VM size: a hardware id (t3.small, a flavor id, e2-small), or the smallest with minCores / minRamMiB. Partition templates may override them with \"hardwareId\", \"minCores\", \"minRam\". Not set by default; for example: 1024.")
    int minRamMiB();

    @AttributeDefinition(name = "group", required = false,
            description = "jclouds group; VMs are named <group>-<vmId> (3 to 32 lower-case letters, digits, dashes).")
    String group() default "stratos-vm";

    @AttributeDefinition(name = "maxVms", required = false,
            description = "At most this many VMs through this adapter (a guard against runaway costs).")
    int maxVms() default 20;

    @AttributeDefinition(name = "agentDistributionUrl", required = false,
            description = "Cloud VMs (not docker): where the VM downloads the agent distribution (stratos-lxc-agent-<version>.tar.gz, also found in the controller distribution's agent/ directory), e.g. an object store or web server URL. Not set by default; for example: https://downloads.example.org/stratos/stratos-lxc-agent-0.1.0-SNAPSHOT.tar.gz.")
    String agentDistributionUrl();

    @AttributeDefinition(name = "userDataTemplate", required = false,
            description = "Cloud VMs (not docker): the cloud-init user-data script template. Its placeholders (dollar sign, name in braces: controllerUrl, joinToken, vmId, partition, cpuMillis, memoryMiB, portRangeStart, portRangeEnd, agentDistributionUrl, agentEnvironment) are replaced, escaped for a single-quoted shell string: keep them in '...'. Shipped as ${karaf.etc}/stratos-cloud-init.sh.")
    String userDataTemplate();

    @AttributeDefinition(name = "portRangeStart", required = false,
            description = "Host ports of a VM's cartridge processes: portRangeStart .. portRangeStart + portsPerVm - 1. Docker VMs on the host network share the host's ports and get consecutive ranges (keep them clear of the local adapter's, 20000 + 100 per local VM).")
    int portRangeStart() default 30000;

    @AttributeDefinition(name = "portsPerVm", required = false,
            description = "Host ports of a VM's cartridge processes: portRangeStart .. portRangeStart + portsPerVm - 1. Docker VMs on the host network share the host's ports and get consecutive ranges (keep them clear of the local adapter's, 20000 + 100 per local VM).")
    int portsPerVm() default 100;

    @AttributeDefinition(name = "agentEnvironment", required = false,
            description = "Extra agent settings as KEY=VALUE pairs, comma-separated (default for docker: STRATOS_AGENT_RUNTIMES=docker). Not set by default; for example: STRATOS_AGENT_RUNTIMES=lxc.")
    String agentEnvironment();

    @AttributeDefinition(name = "networkMode", required = false,
            description = "docker provider only: its \"VM\" is a container that runs the agent Network mode of the VM container: host lets the agent reach the controller on 127.0.0.1 and publish its processes' ports there; the name of a docker network gives every VM container an address of its own there, which its agent publishes its processes on (the VM's address, the one the routers use). Then controllerUrl (io.stratos.lxc.controller.cfg) must be reachable from that network, e.g. the network's gateway, with org.ops4j.pax.web.listening.addresses = 127.0.0.1,<gateway>.")
    String networkMode() default "host";

    @AttributeDefinition(name = "securityOpt", required = false,
            description = "A VM container on a network of its own runs its processes itself, as LXC containers (agentEnvironment = STRATOS_AGENT_RUNTIMES=lxc; the default dockerCommand then first makes /sys and the cgroups writable for LXC), and so must be privileged. Where dockerd lacks a capability (runc: \"unable to apply caps: operation not permitted\"), give it every other one instead: capAdd = ALL, capDrop = <the missing ones>,. Not set by default; for example: seccomp=unconfined, apparmor=unconfined..")
    String securityOpt();

    @AttributeDefinition(name = "privileged", required = false,
            description = "A VM container on a network of its own runs its processes itself, as LXC containers (agentEnvironment = STRATOS_AGENT_RUNTIMES=lxc; the default dockerCommand then first makes /sys and the cgroups writable for LXC), and so must be privileged. Where dockerd lacks a capability (runc: \"unable to apply caps: operation not permitted\"), give it every other one instead: capAdd = ALL, capDrop = <the missing ones>,. Not set by default; for example: false.")
    boolean privileged();

    @AttributeDefinition(name = "capAdd", required = false,
            description = "A VM container on a network of its own runs its processes itself, as LXC containers (agentEnvironment = STRATOS_AGENT_RUNTIMES=lxc; the default dockerCommand then first makes /sys and the cgroups writable for LXC), and so must be privileged. Where dockerd lacks a capability (runc: \"unable to apply caps: operation not permitted\"), give it every other one instead: capAdd = ALL, capDrop = <the missing ones>,.")
    String capAdd();

    @AttributeDefinition(name = "capDrop", required = false,
            description = "A VM container on a network of its own runs its processes itself, as LXC containers (agentEnvironment = STRATOS_AGENT_RUNTIMES=lxc; the default dockerCommand then first makes /sys and the cgroups writable for LXC), and so must be privileged. Where dockerd lacks a capability (runc: \"unable to apply caps: operation not permitted\"), give it every other one instead: capAdd = ALL, capDrop = <the missing ones>,.")
    String capDrop();

    @AttributeDefinition(name = "volumes", required = false,
            description = "hostPath:containerPath bind mounts, comma-separated: the host's docker socket (the agent runs its cartridge containers through it, as siblings of the VM) and the agent distribution. Shipped as /var/run/docker.sock:/var/run/docker.sock, ${karaf.home}/agent/stratos-lxc-agent.tar.gz:/opt/stratos/stratos-lxc-agent.tar.gz.")
    String volumes();

    @AttributeDefinition(name = "agentTarball", required = false,
            description = "Where the agent distribution is mounted in the container, and the command (sh -c) that unpacks and runs it. Not set by default; for example: /opt/stratos/stratos-lxc-agent.tar.gz.")
    String agentTarball();

    @AttributeDefinition(name = "dockerCommand", required = false,
            description = "Where the agent distribution is mounted in the container, and the command (sh -c) that unpacks and runs it. Not set by default; for example: mkdir -p /opt/stratos/agent && tar xzf \"$STRATOS_AGENT_TARBALL\" -C /opt/stratos/agent --strip-components=1 && exec /opt/stratos/agent/bin/karaf server.")
    String dockerCommand();
}
