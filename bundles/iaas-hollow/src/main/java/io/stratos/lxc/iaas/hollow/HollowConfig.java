package io.stratos.lxc.iaas.hollow;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The keys of PID {@code io.stratos.lxc.iaas.hollow}, described for Karaf's {@code config:} commands and the web
 * console (metatype). The distribution ships no .cfg for it: the adapter is for benchmarks with the hollow-agent
 * simulator.
 */
@ObjectClassDefinition(name = "Stratos LXC hollow IaaS adapter",
        description = "IaaS adapter \"hollow\" (PID io.stratos.lxc.iaas.hollow): VMs are handed to the hollow-agent "
                + "simulator (tools/hollow-agents) through a spool file; for benchmarks, never installed by stratos-lxc.")
@interface HollowConfig {

    @AttributeDefinition(name = "spoolFile", required = false,
            description = "The file VM requests are appended to and the simulator reads. Default: "
                    + "<karaf.data>/hollow-agents/vms.spool.")
    String spoolFile();
}
