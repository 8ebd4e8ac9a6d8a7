package io.stratos.lxc.agent.internal.lxc;

import io.stratos.lxc.agent.exec.Exec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a container ended, from what outlives it: LXC's log of its last start (exit code, errors) and the kernel
 * log (OOM kills; the container's memory cgroup and its oom_kill counter are gone once its init is killed).
 */
final class ExitCause {

    private static final Pattern CHILD_SIGNAL = Pattern.compile("Child <(\\d+)> ended on signal [^(]*\\((\\d+)\\)");
    private static final Pattern CHILD_ERROR = Pattern.compile("Child <(\\d+)> ended on error \\((\\d+)\\)");
    private static final Pattern DMESG_TIME = Pattern.compile("^\\[\\s*(\\d+\\.\\d+)\\]");

    private ExitCause() {
    }

    /** From LXC's log of the last start: "ended on signal X(n)" is 128+n, "ended on error (n)" is n, nothing is 0. */
    static Integer exitCode(Path dir) {
        Path log = dir.resolve("lxc.log");
        if (!Files.isRegularFile(log)) {
            return null;
        }
        try {
            String text = Files.readString(log);
            Matcher signal = CHILD_SIGNAL.matcher(text);
            if (signal.find()) {
                return 128 + Integer.parseInt(signal.group(2));
            }
            Matcher error = CHILD_ERROR.matcher(text);
            if (error.find()) {
                return Integer.parseInt(error.group(2));
            }
            return 0;
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /** The first few ERROR lines of LXC's log, for a failed start's message. */
    static String logErrors(Path dir) {
        try {
            return Files.readAllLines(dir.resolve("lxc.log")).stream().filter(l -> l.contains("ERROR")).limit(5)
                    .map(l -> l.replaceAll("^.*? - ", "")).reduce((a, b) -> a + "; " + b).orElse("");
        } catch (IOException e) {
            return "";
        }
    }

    /** Whether the kernel log has an OOM kill in this memory cgroup since the container started (uptime seconds). */
    static boolean killedByOom(Exec exec, String cgroup, double startedUptime) {
        Exec.Result dmesg = exec.run(5000, "dmesg");
        if (!dmesg.ok()) {
            return false;
        }
        String marker = "oom_memcg=/" + cgroup + ",";
        String alt = "task_memcg=/" + cgroup + ",";
        for (String line : dmesg.output().split("\n")) {
            if (line.contains(marker) || line.contains(alt)) {
                Matcher time = DMESG_TIME.matcher(line);
                if (!time.find() || Double.parseDouble(time.group(1)) + 1 >= startedUptime) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The host's uptime in seconds, the clock of the kernel log's timestamps. */
    static double uptimeSeconds() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/uptime")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
