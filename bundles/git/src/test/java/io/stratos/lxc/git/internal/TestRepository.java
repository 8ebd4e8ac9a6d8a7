package io.stratos.lxc.git.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * A real repository built with JGit: three commits on {@code main} (the last adds {@code big.bin}; each changes
 * {@code README}), a lightweight tag {@code v1} and an annotated tag {@code v1.0} on the first, a branch
 * {@code feature} with a commit of its own; an executable script, a symbolic link and a subdirectory.
 */
final class TestRepository {

    final Path dir;
    final RevCommit first;
    /** Between first and second on main: no ref points at it. */
    final RevCommit middle;
    final RevCommit second;
    final RevCommit feature;

    private TestRepository(Path dir, RevCommit first, RevCommit middle, RevCommit second, RevCommit feature) {
        this.dir = dir;
        this.first = first;
        this.middle = middle;
        this.second = second;
        this.feature = feature;
    }

    static TestRepository create(Path dir) throws Exception {
        Files.createDirectories(dir);
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            git.getRepository().getConfig().setBoolean("core", null, "filemode", true);
            git.getRepository().getConfig().setBoolean("core", null, "symlinks", true);
            git.getRepository().getConfig().save();
            write(dir.resolve("README"), "first\n");
            write(dir.resolve("bin/start.sh"), "#!/bin/sh\nexec echo started\n");
            Files.setPosixFilePermissions(dir.resolve("bin/start.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
            write(dir.resolve("src/main/app.txt"), "app\n");
            Files.createSymbolicLink(dir.resolve("current"), Path.of("src/main"));
            git.add().addFilepattern(".").call();
            RevCommit first = commit(git, "first");
            git.tag().setName("v1").setAnnotated(false).setObjectId(first).call();
            git.tag().setName("v1.0").setAnnotated(true).setMessage("release 1.0").setObjectId(first).call();

            write(dir.resolve("README"), "middle\n");
            git.add().addFilepattern(".").call();
            RevCommit middle = commit(git, "middle");

            write(dir.resolve("README"), "second\n");
            write(dir.resolve("big.bin"), "x".repeat(10_000));
            git.add().addFilepattern(".").call();
            RevCommit second = commit(git, "second");

            git.checkout().setCreateBranch(true).setName("feature").setStartPoint(first).call();
            write(dir.resolve("FEATURE"), "feature\n");
            git.add().addFilepattern(".").call();
            RevCommit feature = commit(git, "feature");
            git.checkout().setName("main").call();
            return new TestRepository(dir, first, middle, second, feature);
        }
    }

    private static RevCommit commit(Git git, String message) throws Exception {
        return git.commit().setMessage(message).setAuthor("Test", "test@example.org")
                .setCommitter("Test", "test@example.org").setSign(false).call();
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    /** A tar's entries by name. */
    static Map<String, Entry> read(byte[] tar) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new java.io.ByteArrayInputStream(tar))) {
            TarArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                byte[] content = readAll(in);
                entries.put(entry.getName(), new Entry(entry.isDirectory(), entry.isSymbolicLink(), entry.getLinkName(),
                        entry.getMode(), new String(content, StandardCharsets.UTF_8)));
            }
        }
        return entries;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    record Entry(boolean directory, boolean symlink, String linkName, int mode, String content) {
        boolean executable() {
            return (mode & 0100) != 0;
        }
    }
}
