package io.stratos.lxc.git.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ProgressMonitor;

/**
 * Cancels a fetch once the temporary repository passes a number of bytes on disk: the tree is counted against
 * maxBytes only after the fetch, and a repository far larger than that must not fill the controller's disk first.
 * JGit asks {@link #isCancelled()} while it receives the pack; the directory is measured at most every 100 ms.
 */
final class FetchBudget implements ProgressMonitor {

    private static final long CHECK_EVERY_NANOS = 100_000_000L;

    private final Path directory;
    private final long limit;
    private long lastCheck;
    private volatile boolean exceeded;

    FetchBudget(Path directory, long limit) {
        this.directory = directory;
        this.limit = limit;
    }

    long limit() {
        return limit;
    }

    boolean exceeded() {
        return exceeded || measure() > limit;
    }

    @Override
    public boolean isCancelled() {
        if (exceeded) {
            return true;
        }
        long now = System.nanoTime();
        if (now - lastCheck >= CHECK_EVERY_NANOS) {
            lastCheck = now;
            exceeded = measure() > limit;
        }
        return exceeded;
    }

    private long measure() {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    return 0; // gone meanwhile (a temporary file renamed)
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    @Override
    public void start(int totalTasks) {
    }

    @Override
    public void beginTask(String title, int totalWork) {
    }

    @Override
    public void update(int completed) {
    }

    @Override
    public void endTask() {
    }

    @Override
    public void showDuration(boolean enabled) {
    }
}
