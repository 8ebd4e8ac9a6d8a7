package io.stratos.lxc.agent.internal.lxc;

import io.stratos.lxc.agent.exec.Exec;
import io.stratos.lxc.agent.exec.FileTree;
import io.stratos.lxc.api.StratosException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lower layer of unprivileged containers: idmapped mounts do not work with an overlay rootfs here, so an
 * image's rootfs is copied once with every owner shifted into root's subordinate id range
 * ({@code rootfs-idmap-<first>} beside it, setuid bits kept) and shared by all its unprivileged containers.
 */
final class ShiftedRootfs {

    private static final Logger LOG = LoggerFactory.getLogger(ShiftedRootfs.class);

    private final Exec exec;
    private final Map<Path, Object> locks = new ConcurrentHashMap<>();

    ShiftedRootfs(Exec exec) {
        this.exec = exec;
    }

    /** The shifted copy of the image's rootfs, made on first use through a temporary copy and an atomic rename. */
    Path lowerFor(Path imageRootfs, IdMap ids) {
        Path shifted = imageRootfs.resolveSibling(imageRootfs.getFileName() + "-idmap-" + ids.first());
        synchronized (locks.computeIfAbsent(shifted, k -> new Object())) {
            if (Files.isDirectory(shifted)) {
                return shifted;
            }
            long started = System.nanoTime();
            Path temp = imageRootfs.resolveSibling("." + shifted.getFileName() + "-" + System.nanoTime());
            try {
                Exec.Result copy = exec.run(10 * 60_000L, "cp", "-a", imageRootfs.toString(), temp.toString());
                if (!copy.ok()) {
                    throw StratosException.unavailable("cannot copy " + imageRootfs + " for unprivileged containers: " + copy.output(),
                            "free disk space");
                }
                shiftOwners(temp, ids);
                Files.move(temp, shifted, StandardCopyOption.ATOMIC_MOVE);
                LOG.info("Shifted {} into {} for unprivileged containers in {} ms", imageRootfs, shifted,
                        (System.nanoTime() - started) / 1_000_000);
                return shifted;
            } catch (IOException e) {
                throw StratosException.unavailable("cannot prepare " + shifted + ": " + e.getMessage(), "free disk space");
            } finally {
                FileTree.delete(temp);
            }
        }
    }

    private void shiftOwners(Path tree, IdMap ids) throws IOException {
        List<String> special = new ArrayList<>();
        // Hard links (Debian images have them) are one inode under several names: shift each inode once.
        Set<Object> shiftedInodes = new HashSet<>();
        try (Stream<Path> paths = Files.walk(tree)) {
            for (Path path : paths.toList()) {
                Object inode = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
                if (inode != null && !shiftedInodes.add(inode)) {
                    continue;
                }
                Map<String, Object> attrs = Files.readAttributes(path, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) attrs.get("mode");
                Files.setAttribute(path, "unix:uid", ids.host((Integer) attrs.get("uid")), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(path, "unix:gid", ids.host((Integer) attrs.get("gid")), LinkOption.NOFOLLOW_LINKS);
                if ((mode & 0170000) != 0120000 && (mode & 06000) != 0) {
                    special.add(Integer.toOctalString(mode & 07777) + " " + path);
                }
            }
        }
        for (String entry : special) {
            String[] modeAndPath = entry.split(" ", 2);
            exec.run(10_000, "chmod", modeAndPath[0], modeAndPath[1]); // chown cleared setuid/setgid
        }
    }
}
