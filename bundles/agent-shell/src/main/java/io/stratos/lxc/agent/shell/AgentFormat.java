package io.stratos.lxc.agent.shell;

import io.stratos.lxc.agent.status.AgentImage;
import io.stratos.lxc.agent.status.AgentProcess;
import io.stratos.lxc.agent.status.AgentSummary;
import io.stratos.lxc.agent.status.LogTail;
import io.stratos.lxc.api.controller.ProcessState;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.karaf.shell.support.table.ShellTable;

/** How the agent:* commands print the agent's status: plain text and Karaf tables, no logic beyond layout. */
final class AgentFormat {

    private AgentFormat() {
    }

    static void summary(AgentSummary s, PrintStream out) {
        out.println("Agent " + s.vmId() + (s.partition().isEmpty() ? "" : " (partition " + s.partition() + ")")
                + ", version " + s.version() + ", up " + duration(Duration.ofMillis(s.uptimeMillis())));
        out.println("Controller: " + s.connection());
        out.println("Capacity:   " + s.capacity().cpuMillis() + "m CPU, " + s.capacity().memoryMiB() + " MiB");
        out.println("Allocated:  " + s.allocated().cpuMillis() + "m CPU (" + percent(s.allocated().cpuMillis(), s.capacity().cpuMillis())
                + "), " + s.allocated().memoryMiB() + " MiB (" + percent(s.allocated().memoryMiB(), s.capacity().memoryMiB()) + ")");
        out.println("Memory use: " + bytes(s.memoryUsedBytes()) + " in containers");
        out.println("Processes:  " + s.processCount() + counts(s.processesByState()));
        out.println("Ports:      " + s.portRangeStart() + "-" + s.portRangeEnd() + ", " + s.portsInUse() + " in use");
        out.println("Published:  on " + (s.publishAddress().isEmpty() ? "-" : s.publishAddress()) + ", for "
                + (s.allowedSources().isEmpty() ? "-" : String.join(", ", s.allowedSources())) + "; "
                + s.refusedConnections() + " connection(s) from other sources refused");
        if (!s.problem().isEmpty()) {
            out.println("Problem:    " + s.problem());
        }
        out.println("Images:     " + s.imageCount() + " cached, " + bytes(s.imageCacheBytes()) + " of " + bytes(s.imageCacheLimitBytes())
                + ", " + s.imageFetches() + " fetched since start");
        List<String> runtimes = new ArrayList<>();
        s.runtimes().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> runtimes.add(e.getKey() + " " + e.getValue()));
        out.println("Runtimes:   " + (runtimes.isEmpty() ? "none" : String.join("; ", runtimes)));
    }

    /** " (RUNNING 3, FAILED 1)": the states that have processes, in life-cycle order. */
    static String counts(Map<ProcessState, Integer> byState) {
        List<String> parts = new ArrayList<>();
        for (ProcessState state : ProcessState.values()) {
            int n = byState.getOrDefault(state, 0);
            if (n > 0) {
                parts.add(state + " " + n);
            }
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    static void processes(List<AgentProcess> processes, PrintStream out) {
        ShellTable table = new ShellTable();
        for (String column : new String[] {"Process", "Alias", "Cartridge", "Runtime", "State", "Endpoint", "CPU %",
                "Memory MiB", "Limit MiB", "Restarts"}) {
            table.column(column);
        }
        table.column("Reason").maxSize(60).wrap();
        for (AgentProcess p : processes) {
            table.addRow().addContent(p.processId(), p.alias(), p.cartridge(), p.runtime(), p.state(),
                    p.hostPort() == 0 ? "-" : p.endpoint().isEmpty() ? String.valueOf(p.hostPort()) : p.endpoint(), String.format(Locale.ROOT, "%.1f", p.metrics().cpuPercent()),
                    mib(p.metrics().memoryBytes()), p.memoryMiB() == 0 ? "-" : p.memoryMiB(), p.restarts(), p.reason());
        }
        table.print(out);
    }

    static void images(List<AgentImage> images, Instant now, PrintStream out) {
        ShellTable table = new ShellTable();
        for (String column : new String[] {"Digest", "Cartridge", "Size", "Processes", "Last used"}) {
            table.column(column);
        }
        for (AgentImage image : images) {
            table.addRow().addContent(shortDigest(image.digest()), image.cartridge(), bytes(image.bytes()), image.processes(),
                    image.lastUsed() + " (" + duration(Duration.between(image.lastUsed(), now)) + " ago)");
        }
        table.print(out);
    }

    static void log(LogTail tail, PrintStream out) {
        if (tail.lines().isEmpty()) {
            out.println("(" + tail.processId() + " has written nothing to its console yet; " + tail.runtime() + ": " + tail.source() + ")");
            return;
        }
        tail.lines().forEach(out::println);
    }

    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / (1024.0 * 1024));
    }

    static String percent(long part, long whole) {
        return whole <= 0 ? "-" : Math.round(100.0 * part / whole) + "%";
    }

    /** "3d 4h", "2h 5m", "4m 7s", "12s": the two largest units. */
    static String duration(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s >= 86_400) {
            return s / 86_400 + "d " + s % 86_400 / 3600 + "h";
        }
        if (s >= 3600) {
            return s / 3600 + "h " + s % 3600 / 60 + "m";
        }
        if (s >= 60) {
            return s / 60 + "m " + s % 60 + "s";
        }
        return s + "s";
    }

    static String shortDigest(String digest) {
        return digest.length() > 19 ? digest.substring(0, 19) : digest;
    }
}
