package io.stratos.lxc.iaas.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs host tools (tar, iproute2, the VM scripts); a seam so that unit tests can see what would run. */
interface Commands {

    /** Runs the command to its end; its output, or an IOException carrying the command and its output when it fails. */
    String run(List<String> command) throws IOException;

    default String run(String... command) throws IOException {
        return run(List.of(command));
    }

    /** Runs the command; its output whether it failed or not (for removals of what may already be gone). */
    default String quietly(String... command) {
        try {
            return run(List.of(command));
        } catch (IOException e) {
            return "";
        }
    }

    /** The host's own tools, each given a minute at most. */
    Commands SYSTEM = command -> {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not end within 60 s");
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + text.trim());
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", command), e);
        }
    };
}
