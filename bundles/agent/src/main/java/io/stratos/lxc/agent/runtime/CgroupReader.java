package io.stratos.lxc.agent.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads a container's CPU, memory, PIDs and OOM counters from its cgroup, under cgroup v1 (one hierarchy per
 * controller: {@code <root>/memory/<group>/memory.usage_in_bytes}, ...) or v2 (one unified hierarchy:
 * {@code <root>/<group>/memory.current}, ...). The layout is detected from the mount root; tests point it at
 * a fake tree.
 */
public final class CgroupReader {

    public enum Layout { V1, V2 }

    private final Path root;
    private final Layout layout;

    public CgroupReader(Path root, Layout layout) {
        this.root = root;
        this.layout = layout;
    }

    /** The host's cgroup mount, with its layout detected. */
    public static CgroupReader host() {
        return detect(Path.of("/sys/fs/cgroup"));
    }

    /**
     * v2 when the root itself is a unified hierarchy that has the memory controller (a pure-v2 host); v1 when
     * it has a {@code memory} hierarchy directory (a v1 or hybrid host, like this project's CI machine).
     */
    public static CgroupReader detect(Path root) {
        Path controllers = root.resolve("cgroup.controllers");
        if (Files.isRegularFile(controllers)) {
            try {
                if (List.of(Files.readString(controllers).trim().split("\\s+")).contains("memory")) {
                    return new CgroupReader(root, Layout.V2);
                }
            } catch (IOException e) {
                // fall through
            }
        }
        return new CgroupReader(root, Files.isDirectory(root.resolve("memory")) ? Layout.V1 : Layout.V2);
    }

    public Layout layout() {
        return layout;
    }

    public Path root() {
        return root;
    }

    /** Whether the group exists (for v1: in the memory hierarchy). */
    public boolean exists(String group) {
        return Files.isDirectory(layout == Layout.V1 ? root.resolve("memory").resolve(group) : root.resolve(group));
    }

    /**
     * Whether a process is in the group: what tells a running container apart without asking {@code lxc-info} (a
     * process per call, too many for a pass over thousands of containers). v2: {@code cgroup.events} says
     * {@code populated 1}; v1: the memory hierarchy's {@code cgroup.procs} is not empty. False when it is gone.
     */
    public boolean populated(String group) {
        try {
            if (layout == Layout.V1) {
                try (java.io.InputStream in = Files.newInputStream(root.resolve("memory").resolve(group).resolve("cgroup.procs"))) {
                    return in.read() >= 0;
                }
            }
            return keyed(root.resolve(group).resolve("cgroup.events"), "populated", 0) == 1;
        } catch (IOException e) {
            return false;
        }
    }

    /** How often the kernel's OOM killer struck in the group; 0 when it is gone. */
    public long oomKills(String group) {
        return layout == Layout.V1 ? keyed(root.resolve("memory").resolve(group).resolve("memory.oom_control"), "oom_kill", 0)
                : keyed(root.resolve(group).resolve("memory.events"), "oom_kill", 0);
    }

    /** Usage of a group such as {@code lxc.payload.stratos-p1} or {@code docker/<id>}; empty when it is gone. */
    public Optional<ContainerStats> read(String processId, String group) {
        if (!exists(group)) {
            return Optional.empty();
        }
        long now = System.nanoTime();
        if (layout == Layout.V1) {
            Path memory = root.resolve("memory").resolve(group);
            long usage = number(memory.resolve("memory.usage_in_bytes"), 0);
            long inactive = keyed(memory.resolve("memory.stat"), "total_inactive_file", 0);
            long limit = number(memory.resolve("memory.limit_in_bytes"), -1);
            // v1 says "no limit" with a huge page-aligned number
            if (limit >= Long.MAX_VALUE / 2) {
                limit = -1;
            }
            long cpu = number(root.resolve("cpuacct").resolve(group).resolve("cpuacct.usage"), 0);
            long pids = number(root.resolve("pids").resolve(group).resolve("pids.current"), 0);
            long ooms = keyed(memory.resolve("memory.oom_control"), "oom_kill", 0);
            return Optional.of(new ContainerStats(processId, cpu, Math.max(0, usage - inactive), limit, pids, ooms, now));
        }
        Path dir = root.resolve(group);
        long usage = number(dir.resolve("memory.current"), 0);
        long inactive = keyed(dir.resolve("memory.stat"), "inactive_file", 0);
        long limit = number(dir.resolve("memory.max"), -1);
        long cpu = keyed(dir.resolve("cpu.stat"), "usage_usec", 0) * 1000;
        long pids = number(dir.resolve("pids.current"), 0);
        long ooms = keyed(dir.resolve("memory.events"), "oom_kill", 0);
        return Optional.of(new ContainerStats(processId, cpu, Math.max(0, usage - inactive), limit, pids, ooms, now));
    }

    /**
     * A group's pids controller as the kernel keeps it: the tasks now, the limit (-1 for none), and how many forks
     * the kernel refused at a limit ({@code pids.events} {@code max}). The counter is what proves the limit held:
     * a sampler of {@code pids.current} can miss the moment the group was full.
     */
    public record PidsCounters(long current, long limit, long refusedForks) {
    }

    /** The group's pids counters (v1: {@code <root>/pids/<group>}, v2: {@code <root>/<group>}); empty when it is gone. */
    public Optional<PidsCounters> pids(String group) {
        Path dir = layout == Layout.V1 ? root.resolve("pids").resolve(group) : root.resolve(group);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        return Optional.of(new PidsCounters(number(dir.resolve("pids.current"), 0), number(dir.resolve("pids.max"), -1),
                keyed(dir.resolve("pids.events"), "max", 0)));
    }

    /** A file holding one number; {@code max} (v2 for "no limit") and unreadable files give the fallback. */
    static long number(Path file, long fallback) {
        try {
            String text = Files.readString(file).trim();
            if (text.equals("max")) {
                return -1;
            }
            return Long.parseLong(text);
        } catch (IOException | NumberFormatException e) {
            return fallback;
        }
    }

    /** A {@code key value} line of a flat-keyed file such as memory.stat. */
    static long keyed(Path file, String key, long fallback) {
        try {
            // read often (each sample, each pass at thousands of containers): no regex, no list of lines
            String text = Files.readString(file);
            int at = 0;
            while (at < text.length()) {
                int end = text.indexOf('\n', at);
                if (end < 0) {
                    end = text.length();
                }
                String line = text.substring(at, end).trim();
                at = end + 1;
                int blank = line.indexOf(' ');
                if (blank == key.length() && line.startsWith(key)) {
                    return Long.parseLong(line.substring(blank + 1).trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return fallback;
        }
        return fallback;
    }
}
