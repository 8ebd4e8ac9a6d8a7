package io.stratos.lxc.iaas.local;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The keys of PID {@code io.stratos.lxc.iaas.local}, described for Karaf's {@code config:} commands and the web console (metatype);
 * the descriptions are those of the commented {@code io.stratos.lxc.iaas.local.cfg} the distribution ships, and a test keeps both in step.
 * The component still reads the raw dictionary through its settings parser, so that a bad value is reported with
 * its key and the last good settings stay, instead of being silently converted to a default.
 */
@ObjectClassDefinition(name = "Stratos LXC local IaaS adapter",
        description = "IaaS adapter \"local\" (PID io.stratos.lxc.iaas.local): each partition VM is an agent distribution unpacked under vmsDirectory and run as its own process session on this host. VMs outlive a controller restart and an update of the adapter bundle.")
@interface LocalConfig {

    @AttributeDefinition(name = "agentDistribution", required = false,
            description = "The agent distribution every local VM runs (shipped with the controller distribution). Shipped as ${karaf.home}/agent/stratos-lxc-agent.tar.gz.")
    String agentDistribution();

    @AttributeDefinition(name = "vmsDirectory", required = false,
            description = "Where local VMs live: <vmsDirectory>/<vmId>/{home,agent-data,console.log} Shipped as ${karaf.data}/iaas-local.")
    String vmsDirectory();

    @AttributeDefinition(name = "network", required = false,
            description = "How a local VM meets the network: namespace  each VM is a host of its own: a network namespace (stratos-<vmId>) with its own address in vmSubnet, joined by a veth pair to the bridge vmBridge, which holds the subnet's first address (this host's: the VMs reach the controller there). Its agent, its LXC bridge and its containers live inside; its processes are published on its address. Needs root, iproute2 and util-linux. host       each VM shares this host's network and publishes its processes on 127.0.0.1. When namespaces cannot be made here, namespace falls back to host and says why in the log and in status.")
    String network() default "namespace";

    @AttributeDefinition(name = "vmBridge", required = false,
            description = "How a local VM meets the network: namespace  each VM is a host of its own: a network namespace (stratos-<vmId>) with its own address in vmSubnet, joined by a veth pair to the bridge vmBridge, which holds the subnet's first address (this host's: the VMs reach the controller there). Its agent, its LXC bridge and its containers live inside; its processes are published on its address. Needs root, iproute2 and util-linux. host       each VM shares this host's network and publishes its processes on 127.0.0.1. When namespaces cannot be made here, namespace falls back to host and says why in the log and in status. The host bridge of namespaced VMs (at most 10 characters: each VM's end is <vmBridge>-<slot>).")
    String vmBridge() default "stratosvm0";

    @AttributeDefinition(name = "vmSubnet", required = false,
            description = "How a local VM meets the network: namespace  each VM is a host of its own: a network namespace (stratos-<vmId>) with its own address in vmSubnet, joined by a veth pair to the bridge vmBridge, which holds the subnet's first address (this host's: the VMs reach the controller there). Its agent, its LXC bridge and its containers live inside; its processes are published on its address. Needs root, iproute2 and util-linux. host       each VM shares this host's network and publishes its processes on 127.0.0.1. When namespaces cannot be made here, namespace falls back to host and says why in the log and in status. The host bridge of namespaced VMs (at most 10 characters: each VM's end is <vmBridge>-<slot>). Their addresses: the first is this host's on the bridge, VM number n gets the (n + 2)th. Choose a range no network of this host uses, and none the agents' own container bridges use (those are inside each VM).")
    String vmSubnet() default "10.214.0.0/24";

    @AttributeDefinition(name = "portRangeStart", required = false,
            description = "Ports: VM number n has the slot portRangeStart + n * portsPerVm ... + portsPerVm - 1 (disjoint ranges, so that network = host VMs can share this host). Its processes publish on all but the last port of the slot, on the VM's address; the last port is the VM's agent shell (ssh to the VM's address, user karaf, password in <vm>/home/etc/users.properties).")
    int portRangeStart() default 20000;

    @AttributeDefinition(name = "portsPerVm", required = false,
            description = "Ports: VM number n has the slot portRangeStart + n * portsPerVm ... + portsPerVm - 1 (disjoint ranges, so that network = host VMs can share this host). Its processes publish on all but the last port of the slot, on the VM's address; the last port is the VM's agent shell (ssh to the VM's address, user karaf, password in <vm>/home/etc/users.properties).")
    int portsPerVm() default 100;

    @AttributeDefinition(name = "maxVms", required = false,
            description = "Ports: VM number n has the slot portRangeStart + n * portsPerVm ... + portsPerVm - 1 (disjoint ranges, so that network = host VMs can share this host). Its processes publish on all but the last port of the slot, on the VM's address; the last port is the VM's agent shell (ssh to the VM's address, user karaf, password in <vm>/home/etc/users.properties). Also the most VMs a partition on this adapter may ask for as minVms (POST /partitions answers 400 beyond).")
    int maxVms() default 50;

    @AttributeDefinition(name = "javaHome", required = false,
            description = "JDK 17 home the agents run on (default: the controller's).")
    String javaHome();

    @AttributeDefinition(name = "agentJavaOptions", required = false,
            description = "JVM options of the agents (default: the small heap in the agent distribution's bin/setenv). An agent's environment is only its VM's agent.env (<vmsDirectory>/<vmId>/agent.env): PATH, HOME, JAVA_HOME, the STRATOS_AGENT_* variables the controller was started with, the VM's own settings and EXTRA_JAVA_OPTS from this key; never the controller's EXTRA_JAVA_OPTS or other variables.")
    String agentJavaOptions();
}
