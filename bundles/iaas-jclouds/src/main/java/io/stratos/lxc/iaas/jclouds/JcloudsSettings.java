package io.stratos.lxc.iaas.jclouds;

import io.stratos.lxc.config.ConfigValues;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Settings of PID {@code io.stratos.lxc.iaas.jclouds}. Every problem names its key (the adapter then shows
 * UNCONFIGURED and refuses to create VMs); {@link #toString()} never shows the credential.
 *
 * @param provider             jclouds provider or api id: docker, aws-ec2, openstack-nova, google-compute-engine, ...
 * @param endpoint             the provider's endpoint, or empty for its default
 * @param identity             access key / user / tenant:user; empty for docker
 * @param credential           secret key / password / private key; never logged
 * @param region               the default location (region or zone) id, or empty
 * @param imageId              default image (a partition's template may override it)
 * @param hardwareId           default hardware profile (instance type, flavor), or empty to pick by minCores/minRamMiB
 * @param minCores             smallest hardware with at least this many cores, when no hardwareId is set (0: any)
 * @param minRamMiB            smallest hardware with at least this much RAM, when no hardwareId is set (0: any)
 * @param group                jclouds group, also the node name prefix: nodes are named {@code <group>-<vmId>}
 * @param agentDistributionUrl where a cloud VM downloads the agent distribution tarball from
 * @param userDataTemplate     the cloud-init script template
 * @param portRangeStart       first host port of a VM's cartridge processes
 * @param portsPerVm           how many ports a VM offers; docker VMs on the host network get disjoint ranges
 * @param networkMode          docker only: the VM container's network mode ({@code host}: the agent reaches the
 *                             controller on 127.0.0.1 and publishes its processes' ports there), or the name of a
 *                             docker network: the VM container gets an address of its own there, which the agent
 *                             publishes its processes on
 * @param privileged           docker only: the VM container is privileged (docker run --privileged), as LXC in the VM needs
 * @param capAdd               docker only: capabilities added to the VM container (ALL, SYS_ADMIN, ...), for hosts where
 *                             {@code privileged} cannot start (a dockerd without every capability: runc "unable to apply caps")
 * @param capDrop              docker only: capabilities dropped from the VM container (those the dockerd lacks)
 * @param securityOpt          docker only: the VM container's security options (seccomp=unconfined, apparmor=unconfined)
 * @param volumes              docker only: host path to container path bind mounts
 * @param agentTarball         docker only: the path inside the VM container of the mounted agent distribution
 * @param dockerCommand        docker only: the shell command (sh -c) that unpacks and starts the agent
 * @param agentEnvironment     extra environment of the agent, KEY=VALUE pairs (e.g. STRATOS_AGENT_RUNTIMES=docker)
 * @param maxVms               at most this many VMs of this adapter (a guard against runaway costs)
 * @param overrides            keys starting with {@code jclouds.}, passed to jclouds as they are (e.g.
 *                             {@code jclouds.keystone.version = 3}, {@code jclouds.keystone.scope = project:demo})
 */
record JcloudsSettings(String provider, String endpoint, String identity, String credential, String region,
                       String imageId, String hardwareId, double minCores, int minRamMiB, String group,
                       String agentDistributionUrl, Path userDataTemplate, int portRangeStart, int portsPerVm,
                       String networkMode, boolean privileged, List<String> capAdd, List<String> capDrop,
                       List<String> securityOpt, Map<String, String> volumes, String agentTarball, String dockerCommand,
                       Map<String, String> agentEnvironment, int maxVms, Map<String, String> overrides) {

    static final String PID = "io.stratos.lxc.iaas.jclouds";
    static final String CFG = "etc/" + PID + ".cfg";
    static final Pattern GROUP = Pattern.compile("[a-z0-9][a-z0-9-]{1,30}[a-z0-9]");
    static final Pattern PROVIDER = Pattern.compile("[a-z0-9][a-z0-9.-]*");
    static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    static final String DEFAULT_AGENT_TARBALL = "/opt/stratos/stratos-lxc-agent.tar.gz";

    static JcloudsSettings from(ConfigValues values) {
        return from(values, Map.of());
    }

    static JcloudsSettings from(ConfigValues values, Map<String, ?> properties) {
        Map<String, String> overrides = new java.util.TreeMap<>();
        if (properties != null) {
            properties.forEach((k, v) -> {
                if (k.startsWith("jclouds.") && v != null && !String.valueOf(v).isBlank()) {
                    overrides.put(k, String.valueOf(v).trim());
                }
            });
        }
        String home = Path.of(System.getProperty("karaf.home", ".")).toAbsolutePath().normalize().toString();
        String etc = System.getProperty("karaf.etc", Path.of(home, "etc").toString());

        String provider = values.string("provider", "");
        if (provider.isEmpty()) {
            values.problem("provider", "", "a jclouds provider or api id such as docker, aws-ec2, openstack-nova or google-compute-engine", "");
        } else if (!PROVIDER.matcher(provider).matches()) {
            provider = values.problem("provider", provider, "a jclouds provider or api id such as docker, aws-ec2, openstack-nova", "");
        }
        boolean docker = provider.equals("docker");

        String endpoint = values.string("endpoint", "");
        if (!endpoint.isEmpty() && !endpoint.matches("https?://\\S+")) {
            endpoint = values.problem("endpoint", endpoint, "an http(s) URL such as http://127.0.0.1:2375", "");
        }
        if (docker && endpoint.isEmpty()) {
            values.problem("endpoint", "", "dockerd's TCP endpoint, e.g. http://127.0.0.1:2375 (the docker provider has no unix socket support)", "");
        }
        String identity = values.string("identity", docker ? "docker" : "");
        String credential = values.string("credential", docker ? "docker" : "");
        if (!docker && !provider.isEmpty()) {
            if (identity.isEmpty()) {
                values.problem("identity", "", "the provider account's identity (access key id, user, project:user)", "");
            }
            if (credential.isEmpty()) {
                values.problem("credential", "", "the provider account's secret (never logged)", "");
            }
        }

        String group = values.string("group", "stratos-vm");
        if (!GROUP.matcher(group).matches()) {
            group = values.problem("group", group, "3 to 32 lower-case letters, digits and dashes (a DNS label prefix)", "stratos-vm");
        }

        double minCores = 0;
        String rawCores = values.raw("minCores");
        if (rawCores != null) {
            try {
                minCores = Double.parseDouble(rawCores);
                if (minCores < 0 || minCores > 1024) {
                    minCores = values.problem("minCores", rawCores, "a number of cores from 0 to 1024", 0.0);
                }
            } catch (NumberFormatException e) {
                minCores = values.problem("minCores", rawCores, "a number of cores from 0 to 1024", 0.0);
            }
        }
        int minRam = values.integer("minRamMiB", 0, 0, 16_777_216);

        String distributionUrl = values.string("agentDistributionUrl", "");
        if (!distributionUrl.isEmpty() && !distributionUrl.matches("(https?|s3|gs)://\\S+")) {
            distributionUrl = values.problem("agentDistributionUrl", distributionUrl, "an http(s) URL of stratos-lxc-agent-<version>.tar.gz", "");
        }
        if (!docker && !provider.isEmpty() && distributionUrl.isEmpty()) {
            values.problem("agentDistributionUrl", "", "the URL cloud VMs download the agent distribution from", "");
        }

        Path userData = Path.of(values.string("userDataTemplate", Path.of(etc, "stratos-cloud-init.sh").toString()));
        if (!docker && !provider.isEmpty() && !Files.isReadable(userData)) {
            values.problem("userDataTemplate", userData.toString(), "a readable cloud-init script template", userData);
        }

        int portStart = values.port("portRangeStart", 20000);
        int perVm = values.integer("portsPerVm", 1000, 1, 65535);
        int maxVms = values.integer("maxVms", 20, 1, 10_000);
        if ((long) portStart + perVm - 1 > 65535) {
            perVm = values.problem("portsPerVm", String.valueOf(perVm), "at most " + (65536 - portStart) + " so that the range ends below 65536",
                    65536 - portStart);
        }

        String networkMode = values.string("networkMode", "host");
        if (!networkMode.matches("[A-Za-z0-9_.:-]+")) {
            networkMode = values.problem("networkMode", networkMode, "a docker network mode such as host or bridge, or a docker network's name", "host");
        }
        boolean privileged = values.bool("privileged", false);
        List<String> capAdd = words(values, "capAdd", "[A-Z_]+", "capability names such as ALL or SYS_ADMIN separated by commas");
        List<String> capDrop = words(values, "capDrop", "[A-Z_]+", "capability names such as SYS_RESOURCE separated by commas");
        List<String> securityOpt = words(values, "securityOpt", "[a-z-]+[=:]\\S+",
                "docker security options such as seccomp=unconfined, apparmor=unconfined separated by commas");
        String defaultVolumes = "/var/run/docker.sock:/var/run/docker.sock, "
                + Path.of(home, "agent", "stratos-lxc-agent.tar.gz") + ":" + DEFAULT_AGENT_TARBALL;
        Map<String, String> volumes = pairs(values, "volumes", values.string("volumes", defaultVolumes), ':', "/");
        Map<String, String> environment = pairs(values, "agentEnvironment", values.string("agentEnvironment", docker ? "STRATOS_AGENT_RUNTIMES=docker" : ""), '=', null);

        return new JcloudsSettings(provider, endpoint, identity, credential, values.string("region", ""),
                values.string("imageId", ""), values.string("hardwareId", ""), minCores, minRam, group,
                distributionUrl, userData, portStart, perVm, networkMode, privileged, capAdd, capDrop, securityOpt, volumes,
                values.string("agentTarball", DEFAULT_AGENT_TARBALL),
                values.string("dockerCommand", defaultDockerCommand(Arrays.asList(environment.getOrDefault("STRATOS_AGENT_RUNTIMES", "")
                        .split("\\s*,\\s*")).contains("lxc"))),
                environment, maxVms, overrides);
    }

    boolean docker() {
        return provider.equals("docker");
    }

    /**
     * Unpacks the mounted agent distribution in the VM container and runs the agent in the foreground; for an agent
     * offering LXC, first {@link #LXC_PREPARATION}.
     */
    static String defaultDockerCommand(boolean lxc) {
        return (lxc ? LXC_PREPARATION + " && " : "")
                + "mkdir -p /opt/stratos/agent && tar xzf \"$STRATOS_AGENT_TARBALL\" -C /opt/stratos/agent --strip-components=1"
                + " && exec /opt/stratos/agent/bin/karaf server";
    }

    /**
     * LXC in the VM container writes cgroups and sysfs, which docker mounts read-only even in a container with every
     * capability: /sys is remounted writable, and cgroup v1 hierarchies (docker binds the container's own cgroup
     * there, read-only) are mounted afresh, each with the options it had, so LXC nests its containers' cgroups
     * under the VM container's; a cgroup v2 /sys/fs/cgroup is remounted writable. The agent's data dir gets a tmpfs
     * unless something is mounted there: LXC's overlay rootfs cannot have its upper layer on docker's overlay root
     * ("mount: mounting overlay ... Invalid argument"). busybox mount when the image has no util-linux mount
     * (mmdebstrap's essential variant).
     */
    static final String LXC_PREPARATION = "{ M=mount; U=umount; command -v mount >/dev/null 2>&1 || { M=\"busybox mount\"; U=\"busybox umount\"; }"
            + " && { ! grep -q '^sysfs /sys sysfs ro' /proc/mounts || $M -o remount,rw /sys; }"
            + " && if [ -f /sys/fs/cgroup/cgroup.controllers ]; then $M -o remount,rw /sys/fs/cgroup; else"
            + " grep '^cgroup /sys/fs/cgroup/' /proc/mounts | { ok=0; while read -r _ dir _ opts _; do"
            + " o=$(echo \"$opts\" | tr , '\\n' | grep -vxE 'ro|rw|nosuid|nodev|noexec|relatime' | paste -sd, -);"
            + " case \"$o\" in name=*) o=\"none,$o\";; esac;"
            + " $U \"$dir\" && $M -t cgroup -o \"$o\" cgroup \"$dir\" || ok=1; done; exit $ok; }; fi"
            + " && D=${STRATOS_AGENT_DATA_DIR:-/var/lib/stratos-agent} && mkdir -p \"$D\""
            + " && { grep -q \" $D \" /proc/mounts || $M -t tmpfs -o mode=700 tmpfs \"$D\"; }; }";

    /** A comma-separated list of words matching {@code pattern}; empty when unset. */
    private static List<String> words(ConfigValues values, String key, String pattern, String expected) {
        String text = values.string(key, "");
        if (text.isBlank()) {
            return List.of();
        }
        List<String> words = List.of(text.trim().split("\\s*,\\s*"));
        return words.stream().allMatch(w -> w.matches(pattern)) ? words : values.problem(key, text, expected, List.of());
    }

    /** {@code a<sep>b, c<sep>d}; with a required prefix for both sides when {@code prefix} is set. */
    private static Map<String, String> pairs(ConfigValues values, String key, String text, char separator, String prefix) {
        Map<String, String> map = new LinkedHashMap<>();
        if (text.isBlank()) {
            return map;
        }
        for (String item : List.of(text.trim().split("\\s*,\\s*"))) {
            int at = item.indexOf(separator);
            String left = at < 0 ? "" : item.substring(0, at).trim();
            String right = at < 0 ? "" : item.substring(at + 1).trim();
            boolean ok = !left.isEmpty() && !right.isEmpty()
                    && (prefix == null ? ENV_NAME.matcher(left).matches() : left.startsWith(prefix) && right.startsWith(prefix));
            if (!ok) {
                return values.problem(key, text, prefix == null ? "KEY=VALUE pairs separated by commas"
                        : "hostPath:containerPath pairs of absolute paths separated by commas", new LinkedHashMap<>());
            }
            map.put(left, right);
        }
        return map;
    }

    /** Never shows the credential. */
    @Override
    public String toString() {
        return "provider=" + provider + (endpoint.isEmpty() ? "" : ", endpoint=" + endpoint)
                + ", identity=" + (identity.isEmpty() ? "(none)" : identity) + ", credential=" + (credential.isEmpty() ? "(none)" : "(set)")
                + (region.isEmpty() ? "" : ", region=" + region) + ", imageId=" + imageId
                + (hardwareId.isEmpty() ? ", minCores=" + minCores + ", minRamMiB=" + minRamMiB : ", hardwareId=" + hardwareId)
                + (overrides.isEmpty() ? "" : ", overrides=" + overrides.keySet())
                + ", group=" + group + ", ports=" + portRangeStart + "+" + portsPerVm + "/VM, maxVms=" + maxVms
                + (docker() ? ", networkMode=" + networkMode + (privileged ? ", privileged" : "")
                        + (capAdd.isEmpty() ? "" : ", capAdd=" + capAdd) + (capDrop.isEmpty() ? "" : ", capDrop=" + capDrop)
                        + (securityOpt.isEmpty() ? "" : ", securityOpt=" + securityOpt) + ", volumes=" + volumes
                        : ", agentDistributionUrl=" + agentDistributionUrl + ", userDataTemplate=" + userDataTemplate);
    }
}
