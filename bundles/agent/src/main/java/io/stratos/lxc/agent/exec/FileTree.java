package io.stratos.lxc.agent.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** File-tree helpers shared by the image cache and the runtimes. */
public final class FileTree {

    private static final Logger LOG = LoggerFactory.getLogger(FileTree.class);

    private FileTree() {
    }

    /** Deletes a directory tree without following symbolic links; logs what it could not delete. */
    public static void delete(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.warn("Cannot delete {} completely: {}", dir, e.getMessage());
        }
    }
}
