package io.stratos.lxc.itests.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * One of our built distributions, unpacked into its own directory and run as a real process
 * ({@code bin/karaf server}), as an operator would run it.
 */
public final class Distribution implements AutoCloseable {

    private final Path home;
    private final Map<String, String> environment;
    private Process process;

    private Distribution(Path home, Map<String, String> environment) {
        this.home = home;
        this.environment = environment;
    }

    /** Unpacks the tar.gz named by the system property into a fresh directory under the work dir. */
    public static Distribution unpack(String distributionProperty, String name, Map<String, String> environment)
            throws IOException, InterruptedException {
        Path archive = Path.of(System.getProperty(distributionProperty));
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException(archive + " is missing: build the distributions first (mvn install)");
        }
        Path target = Path.of(System.getProperty("stratos.work.dir", "target/work"))
                .resolve(name + "-" + System.currentTimeMillis());
        Files.createDirectories(target);
        run(List.of("tar", "xzf", archive.toString(), "-C", target.toString(), "--strip-components=1"), target);
        Distribution distribution = new Distribution(target, environment);
        if (Files.isRegularFile(target.resolve("etc/users.properties"))) {
            // the test users instead of the shipped karaf/karaf
            for (String[] user : TestUsers.USERS_PROPERTIES) {
                distribution.configure("users.properties", user[0].replace(":", "\\:"), user[1]);
            }
        }
        return distribution;
    }

    public Path home() {
        return home;
    }

    /** Sets {@code key = value} in an etc/ file, replacing the key's line if present. */
    public Distribution configure(String etcFile, String key, String value) throws IOException {
        Path file = home.resolve("etc").resolve(etcFile);
        String text = Files.exists(file) ? Files.readString(file) : "";
        Pattern line = Pattern.compile("(?m)^\\s*#?\\s*" + Pattern.quote(key) + "\\s*=.*$");
        Matcher matcher = line.matcher(text);
        String replacement = Matcher.quoteReplacement(key + " = " + value);
        text = matcher.find() ? matcher.replaceFirst(replacement) : text + System.lineSeparator() + key + " = " + value + System.lineSeparator();
        Files.writeString(file, text);
        return this;
    }

    public Distribution start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("console.log").toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(environment);
        process = builder.start();
        return this;
    }

    public Path log() {
        return home.resolve("data/log/karaf.log");
    }

    /** Waits until a line of the Karaf log matches, and returns it. */
    public String awaitLog(String regex, Duration timeout) throws Exception {
        Pattern pattern = Pattern.compile(regex);
        AtomicReference<String> found = new AtomicReference<>();
        try {
            Awaitility.await("a log line matching " + regex).atMost(timeout).pollInterval(Duration.ofMillis(50))
                    .failFast("the distribution exited", () -> process != null && !process.isAlive())
                    .until(() -> {
                        if (Files.exists(log())) {
                            for (String line : Files.readAllLines(log(), StandardCharsets.UTF_8)) {
                                if (pattern.matcher(line).find()) {
                                    found.set(line);
                                    return true;
                                }
                            }
                        }
                        return false;
                    });
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError(e.getMessage() + (process != null && !process.isAlive() ? " with " + process.exitValue() : "")
                    + "; console: " + console(), e);
        }
        return found.get();
    }

    /** Resident memory of the distribution's JVM in KiB (bin/karaf runs java as a child). */
    public long rssKiB() throws IOException {
        Optional<ProcessHandle> java = process.toHandle().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false)).findFirst();
        long pid = java.map(ProcessHandle::pid).orElse(process.pid());
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** Runs {@code bin/client} with the command on stdin and -b (as an argument it may print nothing); returns the output. */
    public String client(int sshPort, String command) throws IOException, InterruptedException {
        Path input = Files.createTempFile(home, "client", ".txt");
        Files.writeString(input, command + System.lineSeparator());
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/client").toString(), "-a", String.valueOf(sshPort),
                "-u", TestUsers.ADMIN, "-p", TestUsers.ADMIN_PASSWORD, "-b")
                .directory(home.toFile()).redirectErrorStream(true).redirectInput(input.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process client = builder.start();
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        client.waitFor(60, TimeUnit.SECONDS);
        return output;
    }

    public String console() {
        try {
            return Files.readString(home.resolve("console.log"));
        } catch (IOException e) {
            return "(no console log)";
        }
    }

    /**
     * This distribution's own processes: the launcher and its JVM, not what it started (local VMs are
     * descendants too, but must outlive a controller crash).
     */
    private List<ProcessHandle> ownProcesses() {
        String karafHome = "-Dkaraf.home=" + home;
        return process.descendants()
                .filter(p -> p.info().arguments().map(args -> List.of(args).contains(karafHome)).orElse(false))
                .toList();
    }

    /** Sends a signal ("STOP", "CONT") to the distribution's JVM only: a pause, not a crash. */
    public void signal(String signal) throws IOException, InterruptedException {
        if (process == null) {
            return;
        }
        for (ProcessHandle jvm : ownProcesses()) {
            run(List.of("kill", "-" + signal, String.valueOf(jvm.pid())), home);
        }
    }

    /** kill -9 of the JVM, as a crash would; {@link #start()} brings it back on the same directory. */
    public void kill() throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(ownProcesses());
        all.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        for (ProcessHandle handle : all) {
            handle.onExit().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
    }

    /** Stops the JVM and its launcher; the distribution directory stays for post-mortems. */
    @Override
    public void close() throws InterruptedException {
        if (process == null) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>(ownProcesses());
        all.forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            all.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (ProcessHandle handle : all) {
            handle.onExit().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
    }

    private static void run(List<String> command, Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    public static File file(String property) {
        return new File(System.getProperty(property));
    }
}
