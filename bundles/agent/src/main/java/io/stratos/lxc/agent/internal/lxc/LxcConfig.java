package io.stratos.lxc.agent.internal.lxc;

import io.stratos.lxc.agent.net.Subnet;

import io.stratos.lxc.agent.runtime.CgroupReader;
import io.stratos.lxc.agent.runtime.ContainerSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders one container's LXC config: overlay rootfs, id map, network, console log, limits as cgroup keys of
 * whichever layout (v1 or v2) this host has; and the launcher script for start commands LXC cannot pass as they are.
 */
final class LxcConfig {

    /** In the container's upper layer when the start command needs quoting. */
    static final String LAUNCHER = ".stratos-start";

    private final LxcOptions options;
    private final CgroupReader cgroups;

    LxcConfig(LxcOptions options, CgroupReader cgroups) {
        this.options = options;
        this.cgroups = cgroups;
    }

    String render(ContainerSpec spec, Path dir, String rootfs, String address, int listenPort, Optional<IdMap> ids) {
        List<String> lines = new ArrayList<>();
        lines.add("# Written by the Stratos agent for process " + spec.processId() + " (" + spec.imageDigest() + ")");
        lines.add("lxc.uts.name = " + spec.containerName());
        lines.add("lxc.rootfs.path = overlay:" + rootfs + ":" + dir.toAbsolutePath().resolve("upper"));
        lines.add("lxc.apparmor.profile = " + (hostHasAppArmor() ? "generated" : "unconfined"));
        if (ids.isPresent()) {
            lines.add("lxc.idmap = u 0 " + ids.get().first() + " " + IdMap.SIZE);
            lines.add("lxc.idmap = g 0 " + ids.get().first() + " " + IdMap.SIZE);
        }
        // without its own network namespace an unprivileged container cannot mount sysfs
        boolean sysfs = ids.isEmpty() || options.network() == LxcOptions.Network.BRIDGE;
        lines.add("lxc.mount.auto = proc:mixed " + (sysfs ? "sys:ro " : "") + "cgroup:mixed");
        lines.add("lxc.autodev = 1");
        lines.add("lxc.tty.max = 0");
        lines.add("lxc.signal.halt = SIGKILL");
        // what the process writes to its console (stdout, stderr), kept beside the container for diagnosis
        lines.add("lxc.console.logfile = " + dir.resolve("console.log"));
        // bounded: at 1 MiB the log moves to console.log.1 and starts again, so a chatty process cannot fill the disk
        lines.add("lxc.console.size = 1048576");
        lines.add("lxc.console.rotate = 1");
        lines.add("lxc.signal.stop = SIGKILL");
        lines.add("lxc.init.cmd = " + (usesLauncher(spec) ? "/bin/sh /" + LAUNCHER : String.join(" ", spec.argv())));
        lines.add("lxc.init.cwd = /");
        Map<String, String> env = new java.util.LinkedHashMap<>(spec.envWithPort(listenPort));
        if (options.network() == LxcOptions.Network.HOST) {
            // the process binds the published address itself: no agent proxy in between (and so no source filter)
            env.put("BIND_ADDRESS", address);
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            lines.add("lxc.environment = " + e.getKey() + "=" + e.getValue());
        }
        if (options.network() == LxcOptions.Network.BRIDGE) {
            lines.add("lxc.net.0.type = veth");
            lines.add("lxc.net.0.link = " + options.bridge());
            lines.add("lxc.net.0.flags = up");
            lines.add("lxc.net.0.hwaddr = " + Subnet.macFor(address));
            lines.add("lxc.net.0.ipv4.address = " + address + "/" + options.subnet().prefix());
            lines.add("lxc.net.0.ipv4.gateway = " + options.subnet().gateway());
        } else {
            lines.add("lxc.net.0.type = none");
        }
        limits(spec, lines);
        return String.join("\n", lines) + "\n";
    }

    private void limits(ContainerSpec spec, List<String> lines) {
        boolean v1 = cgroups.layout() == CgroupReader.Layout.V1;
        if (spec.memoryMiB() > 0) {
            if (v1) {
                lines.add("lxc.cgroup.memory.limit_in_bytes = " + spec.memoryBytes());
                if (Files.exists(cgroups.root().resolve("memory/memory.memsw.limit_in_bytes"))) {
                    // with swap accounting, memory+swap too: the limit means OOM, not swapping
                    lines.add("lxc.cgroup.memory.memsw.limit_in_bytes = " + spec.memoryBytes());
                }
            } else {
                lines.add("lxc.cgroup2.memory.max = " + spec.memoryBytes());
                lines.add("lxc.cgroup2.memory.swap.max = 0");
            }
        }
        if (spec.cpuMillis() > 0) {
            long quota = spec.cpuMillis() * 100L; // of a 100 ms period
            if (v1) {
                lines.add("lxc.cgroup.cpu.cfs_period_us = 100000");
                lines.add("lxc.cgroup.cpu.cfs_quota_us = " + quota);
            } else {
                lines.add("lxc.cgroup2.cpu.max = " + quota + " 100000");
            }
        }
        if (spec.pidsMax() > 0) {
            lines.add((v1 ? "lxc.cgroup.pids.max = " : "lxc.cgroup2.pids.max = ") + spec.pidsMax());
        }
    }

    /** Whether LXC can take the argv as it is: it splits {@code lxc.init.cmd} on blanks and knows no quoting. */
    static boolean plainArgv(List<String> argv) {
        return argv.stream().noneMatch(arg -> arg.isEmpty()
                || arg.chars().anyMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\'' || c == '\\'));
    }

    /**
     * Through the launcher whenever the image has a shell: a daemonized container's init writes to /dev/null, and
     * only what goes to /dev/console reaches lxc.console.logfile (agent:logs). Without a shell, a plain argv runs
     * as init directly and its output is lost.
     */
    static boolean usesLauncher(ContainerSpec spec) {
        return !plainArgv(spec.argv()) || hasShell(spec.imageRootfs());
    }

    static boolean hasShell(Path rootfs) {
        return Files.exists(rootfs.resolve("bin/sh"), LinkOption.NOFOLLOW_LINKS);
    }

    /** A POSIX shell script that sends stdout and stderr to the console log and execs the argv, each argument single-quoted. */
    static String launcher(List<String> argv) {
        StringBuilder script = new StringBuilder("#!/bin/sh\n# Written by the Stratos agent: the start command, quoted\n"
                + "[ -w /dev/console ] && exec </dev/null >/dev/console 2>&1\nexec");
        for (String arg : argv) {
            script.append(" '").append(arg.replace("'", "'\\''")).append('\'');
        }
        return script.append('\n').toString();
    }

    private static boolean hostHasAppArmor() {
        try {
            return Files.readString(Path.of("/sys/module/apparmor/parameters/enabled")).trim().startsWith("Y");
        } catch (IOException e) {
            return false;
        }
    }
}
