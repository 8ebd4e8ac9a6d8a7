package io.stratos.lxc.agent.exec;

import io.stratos.lxc.api.StratosException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs host tools ({@code lxc-*}, {@code tar}, {@code ip}) with a timeout; output and error are merged. */
public class Exec {

    /** What a command did. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    public Result run(long timeoutMillis, List<String> command) {
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().put("LC_ALL", "C"); // messages we parse are in English
            process = builder.start();
        } catch (IOException e) {
            throw StratosException.unavailable("cannot run " + command.get(0) + ": " + e.getMessage(), "install it on this VM");
        }
        byte[][] out = new byte[1][];
        Thread reader = new Thread(() -> {
            try (InputStream in = process.getInputStream()) {
                out[0] = in.readNBytes(256 * 1024);
                in.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException e) {
                out[0] = new byte[0];
            }
        }, "exec-" + command.get(0));
        reader.setDaemon(true);
        reader.start();
        try {
            if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(2, TimeUnit.SECONDS);
                reader.join(1000);
                return new Result(-1, "timed out after " + timeoutMillis + " ms: " + String.join(" ", command));
            }
            reader.join(5000);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted: " + String.join(" ", command));
        }
        byte[] bytes = out[0] == null ? new byte[0] : out[0];
        return new Result(process.exitValue(), new String(bytes, StandardCharsets.UTF_8).trim());
    }

    public Result run(long timeoutMillis, String... command) {
        return run(timeoutMillis, List.of(command));
    }

    /** Whether an executable of that name is on the PATH (or the absolute path exists). */
    public static boolean onPath(String tool) {
        if (tool.startsWith("/")) {
            return Files.isExecutable(Path.of(tool));
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : (path + ":/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
