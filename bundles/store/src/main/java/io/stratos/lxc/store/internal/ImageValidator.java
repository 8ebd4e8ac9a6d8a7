package io.stratos.lxc.store.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.store.CartridgeManifest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * Checks a cartridge image tarball before the store accepts it: a readable tar (plain, gzip or
 * zstd) with {@code cartridge.json} at the top and the root filesystem under {@code rootfs/}; no
 * absolute paths, no {@code ..}, no device nodes, no links that leave the rootfs, no entry written
 * through a symlink; and the start command's binary present in the rootfs. Every refusal names the
 * offending entry (or manifest field) in {@link StratosException#field()}.
 */
final class ImageValidator {

    static final String ROOTFS = "rootfs";
    private static final List<String> PATH = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");
    private static final int MAX_LINK_HOPS = 40;

    /** What the validator learnt about a valid image. */
    record Result(CartridgeManifest manifest, String compression, int entries, long unpackedBytes) {
    }

    private enum Type { DIR, FILE, SYMLINK, HARDLINK, OTHER }

    /** An entry: its type and, for links, the target; for a script, its interpreter. */
    private record Node(Type type, String target) {
    }

    /** Tar headers of one entry (its own, GNU long names, pax records) beyond this are refused: they are held in memory. */
    static final long MAX_HEADER_BYTES = 1024 * 1024;
    static final int DEFAULT_MAX_ENTRIES = 200_000;
    private static final String UNREADABLE = "the image is not a readable tar";

    private final long maxManifestBytes;
    private final long maxUnpackedBytes;
    private final int maxEntries;

    ImageValidator(long maxManifestBytes, long maxUnpackedBytes) {
        this(maxManifestBytes, maxUnpackedBytes, DEFAULT_MAX_ENTRIES);
    }

    ImageValidator(long maxManifestBytes, long maxUnpackedBytes, int maxEntries) {
        this.maxManifestBytes = maxManifestBytes;
        this.maxUnpackedBytes = maxUnpackedBytes;
        this.maxEntries = maxEntries;
    }

    /** Whether a refusal only says the bytes do not read as a tar (which a cut or damaged body explains). */
    static boolean unreadable(StratosException e) {
        return e.getMessage() != null && e.getMessage().startsWith(UNREADABLE);
    }

    Result validate(Path tarball, byte[] manifestAlongside) {
        try (InputStream file = new BufferedInputStream(Files.newInputStream(tarball), 1 << 16)) {
            return validate(file, manifestAlongside);
        } catch (IOException e) {
            throw StratosException.invalid("image", "the image cannot be read: " + e.getMessage(), null);
        }
    }

    Result validate(InputStream in, byte[] manifestAlongside) throws IOException {
        String compression = compression(in);
        // Everything the decompressor yields is counted as it streams: a small upload that expands past
        // maxUnpackedBytes (a decompression bomb) is refused there, whatever its headers declare.
        Unpacked raw = new Unpacked(switch (compression) {
            case "gzip" -> new GzipCompressorInputStream(in, true);
            case "zstd" -> zstd(in);
            default -> in;
        }, maxUnpackedBytes);
        Map<String, Node> nodes = new HashMap<>();
        byte[] manifestInside = null;
        long unpacked = 0;
        int entries = 0;
        String last = null;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(raw)) {
            TarArchiveEntry entry;
            while ((entry = nextEntry(tar, raw)) != null) {
                entries++;
                String name = entry.getName();
                if (entries > maxEntries) {
                    throw StratosException.tooLarge(name, "the image has more than " + maxEntries + " entries",
                            "raise maxEntries in io.stratos.lxc.store.cfg or make the image smaller");
                }
                last = name;
                String path = normalize(name, name);
                if (path.isEmpty()) {
                    continue;
                }
                if (entry.getSize() < 0 || entry.getSize() > maxUnpackedBytes || unpacked + entry.getSize() > maxUnpackedBytes) {
                    throw StratosException.tooLarge(name, "entry '" + name + "' declares " + entry.getSize()
                                    + " bytes, more than the unpacked image limit of " + maxUnpackedBytes + " bytes",
                            "raise maxUnpackedBytes in io.stratos.lxc.store.cfg or make the image smaller");
                }
                unpacked += entry.getSize();
                if (path.equals(ManifestReader.FILE)) {
                    if (!entry.isFile()) {
                        throw StratosException.invalid(name, "cartridge.json must be a regular file", null);
                    }
                    if (manifestInside != null) {
                        throw StratosException.invalid(name, "the image holds cartridge.json twice", null);
                    }
                    if (entry.getSize() > maxManifestBytes) {
                        throw StratosException.tooLarge(name, "cartridge.json has " + entry.getSize()
                                + " bytes, more than the limit of " + maxManifestBytes, "raise maxManifestBytes");
                    }
                    manifestInside = tar.readAllBytes();
                    continue;
                }
                if (!path.equals(ROOTFS) && !path.startsWith(ROOTFS + "/")) {
                    throw StratosException.invalid(name, "entry '" + name + "' is outside rootfs/",
                            "an image holds cartridge.json at the top and its root filesystem under rootfs/");
                }
                checkParentsAreNotLinks(nodes, path, name);
                Node previous = nodes.get(path);
                Node node = node(entry, path, name, nodes);
                if (node.type() == Type.FILE && entry.getSize() > 2) {
                    node = new Node(Type.FILE, interpreter(tar));
                }
                if (previous != null && previous.type() == Type.SYMLINK) {
                    throw StratosException.invalid(name, "entry '" + name + "' replaces a symlink of the same name", null);
                }
                nodes.put(path, node);
            }
        } catch (StratosException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw unreadable(last, e);
        }
        byte[] manifestBytes = manifestInside != null ? manifestInside : manifestAlongside;
        if (manifestBytes == null) {
            throw StratosException.invalid(ManifestReader.FILE, "the image has no cartridge.json",
                    "put cartridge.json at the top of the tarball (beside rootfs/) or send it alongside");
        }
        CartridgeManifest manifest = ManifestReader.read(manifestBytes);
        if (manifestInside != null && manifestAlongside != null
                && !manifest.equals(ManifestReader.read(manifestAlongside))) {
            throw StratosException.invalid(ManifestReader.FILE,
                    "the manifest sent alongside differs from the cartridge.json inside the image", "send only one");
        }
        if (!nodes.containsKey(ROOTFS) && nodes.keySet().stream().noneMatch(p -> p.startsWith(ROOTFS + "/"))) {
            throw StratosException.invalid(ROOTFS + "/", "the image has no rootfs/", "put the root filesystem under rootfs/");
        }
        addImplicitDirectories(nodes);
        checkStartCommand(manifest, nodes);
        return new Result(manifest, compression, entries, unpacked);
    }

    /**
     * The next entry, with the rest of the current one's data read first (counted as data), so that what
     * {@code getNextEntry} reads is headers only: GNU long names and pax records, which it keeps in memory,
     * and which are therefore refused beyond {@link #MAX_HEADER_BYTES}.
     */
    private static TarArchiveEntry nextEntry(TarArchiveInputStream tar, Unpacked raw) throws IOException {
        if (tar.getCurrentEntry() != null) {
            byte[] skip = new byte[1 << 16];
            while (tar.read(skip) >= 0) {
                // drain
            }
        }
        raw.headerStarts();
        TarArchiveEntry entry = tar.getNextEntry();
        raw.headerEnds();
        return entry;
    }

    /** The decompressed stream, counted: refuses more than the unpacked limit in all, and oversized headers. */
    private static final class Unpacked extends java.io.FilterInputStream {
        private final long max;
        private long total;
        private long headerStart = -1;

        Unpacked(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        void headerStarts() {
            headerStart = total;
        }

        void headerEnds() {
            headerStart = -1;
        }

        private void count(long n) {
            if (n <= 0) {
                return;
            }
            total += n;
            if (total > max) {
                throw StratosException.tooLarge("image", "the image unpacks to more than " + max
                                + " bytes (a decompression bomb, or too large an image)",
                        "raise maxUnpackedBytes in io.stratos.lxc.store.cfg or make the image smaller");
            }
            if (headerStart >= 0 && total - headerStart > MAX_HEADER_BYTES) {
                throw StratosException.tooLarge("image", "a tar header (with its long name or pax records) has more than "
                        + MAX_HEADER_BYTES + " bytes", "file names and attributes in an image are short");
            }
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count(n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // read rather than skip: skipping compressed data still decompresses it, and must count
            byte[] buffer = new byte[(int) Math.min(n, 1 << 16)];
            int read = read(buffer, 0, buffer.length);
            return Math.max(read, 0);
        }
    }

    private static StratosException unreadable(String last, Exception e) {
        String where = last == null ? "at its start" : "after entry '" + last + "'";
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return StratosException.invalid(last == null ? "image" : last,
                UNREADABLE + " " + where + ": " + reason,
                "send a complete tar, tar.gz or tar.zst file; a truncated upload is refused");
    }

    private static InputStream zstd(InputStream in) throws IOException {
        try {
            return new ZstdCompressorInputStream(in);
        } catch (LinkageError e) {
            throw StratosException.invalid("image", "zstd-compressed images are not supported here (zstd-jni is missing)",
                    "send a gzip-compressed or plain tar");
        }
    }

    /** Sniffs the compression from the magic bytes; anything that is neither gzip nor zstd is read as plain tar. */
    static String compression(InputStream in) throws IOException {
        in.mark(8);
        byte[] magic = in.readNBytes(6);
        in.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return "gzip";
        }
        if (magic.length >= 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
            return "zstd";
        }
        if (magic.length >= 3 && magic[0] == 'B' && magic[1] == 'Z' && magic[2] == 'h'
                || magic.length >= 6 && (magic[0] & 0xff) == 0xfd && magic[1] == '7' && magic[2] == 'z') {
            throw StratosException.invalid("image", "bzip2 and xz compressed images are not supported",
                    "compress the tar with gzip or zstd, or send it plain");
        }
        return "tar";
    }

    /** An archive path without {@code ./}, empty components or a trailing slash; refuses absolute paths and {@code ..}. */
    static String normalize(String path, String entry) {
        if (path.startsWith("/")) {
            throw StratosException.invalid(entry, "entry '" + entry + "' has an absolute path",
                    "paths in the image are relative: cartridge.json and rootfs/...");
        }
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw StratosException.invalid(entry, "entry '" + entry + "' has a '..' component (path traversal)",
                        "paths in the image must stay inside it");
            }
            parts.add(part);
        }
        return String.join("/", parts);
    }

    private static void checkParentsAreNotLinks(Map<String, Node> nodes, String path, String entry) {
        int slash = path.indexOf('/');
        while (slash > 0) {
            Node parent = nodes.get(path.substring(0, slash));
            if (parent != null && parent.type() != Type.DIR) {
                throw StratosException.invalid(entry, "entry '" + entry + "' lies under '" + path.substring(0, slash)
                        + "', which is not a directory (a symlink or file)", "an image must not write through links");
            }
            slash = path.indexOf('/', slash + 1);
        }
    }

    private Node node(TarArchiveEntry entry, String path, String name, Map<String, Node> nodes) {
        if (entry.isCharacterDevice() || entry.isBlockDevice()) {
            throw StratosException.invalid(name, "entry '" + name + "' is a device node",
                    "images must not contain device nodes; the runtime creates /dev");
        }
        if (entry.isFIFO()) {
            throw StratosException.invalid(name, "entry '" + name + "' is a named pipe (fifo)",
                    "images hold files, directories and links; a program creates its pipes at run time");
        }
        if ((entry.isFile() || entry.isLink()) && (entry.getMode() & 06000) != 0) {
            // Refused rather than stripped: the store keeps the uploaded bytes as they are (their digest is the
            // image's name), and agents unpack images as root; a setuid-root file there is a way up for any user
            // who reaches it. Set-group-id directories (shared group ownership) are harmless and allowed.
            throw StratosException.invalid(name, "entry '" + name + "' is set-user-id or set-group-id (mode "
                            + Integer.toOctalString(entry.getMode() & 07777) + ")",
                    "clear the bits when building the image: chmod u-s,g-s, or find rootfs -type f -perm /6000 -exec chmod u-s,g-s {} +");
        }
        if (entry.isSymbolicLink()) {
            String target = entry.getLinkName();
            if (target == null || target.isEmpty()) {
                throw StratosException.invalid(name, "symlink '" + name + "' has no target", null);
            }
            if (escapes(path, target)) {
                throw StratosException.invalid(name, "symlink '" + name + "' -> '" + target + "' escapes the rootfs",
                        "links must resolve inside rootfs/");
            }
            return new Node(Type.SYMLINK, target);
        }
        if (entry.isLink()) {
            String target = entry.getLinkName();
            String normalized = normalize(target == null ? "" : target, name);
            if (!normalized.startsWith(ROOTFS + "/")) {
                throw StratosException.invalid(name, "hard link '" + name + "' -> '" + target + "' escapes the rootfs",
                        "hard links must point at a file under rootfs/");
            }
            Node targetNode = nodes.get(normalized);
            if (targetNode == null || targetNode.type() == Type.DIR || targetNode.type() == Type.SYMLINK) {
                throw StratosException.invalid(name, "hard link '" + name + "' -> '" + target
                        + "' does not point at an earlier file of the image", null);
            }
            return new Node(Type.HARDLINK, normalized);
        }
        if (entry.isDirectory()) {
            return new Node(Type.DIR, null);
        }
        if (entry.isFile()) {
            return new Node(Type.FILE, null);
        }
        throw StratosException.invalid(name, "entry '" + name + "' is of a type images cannot hold (tar type '"
                + (char) entry.getLinkFlag() + "')", "images hold files, directories and links only");
    }

    /** The interpreter of a script ({@code #!/bin/sh} gives {@code /bin/sh}), or null; reads at most 256 bytes. */
    private static String interpreter(InputStream entry) throws IOException {
        byte[] head = entry.readNBytes(256);
        if (head.length < 3 || head[0] != '#' || head[1] != '!') {
            return null;
        }
        int end = 2;
        while (end < head.length && head[end] != '\n') {
            end++;
        }
        String line = new String(head, 2, end - 2, java.nio.charset.StandardCharsets.UTF_8).trim();
        String program = line.split("\\s+")[0];
        return program.isEmpty() ? null : program;
    }

    /**
     * Whether a symlink at archive path {@code path} with this target leaves the rootfs. Absolute
     * targets resolve against the rootfs (as inside the container); relative ones against the
     * link's directory. Going above the rootfs either way is an escape.
     */
    static boolean escapes(String path, String target) {
        Deque<String> dir = new ArrayDeque<>();
        if (!target.startsWith("/")) {
            List<String> parts = Arrays.asList(path.split("/"));
            // drop "rootfs" and the link's own name
            for (String part : parts.subList(1, parts.size() - 1)) {
                dir.addLast(part);
            }
        }
        for (String part : target.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (dir.isEmpty()) {
                    return true;
                }
                dir.removeLast();
            } else {
                dir.addLast(part);
            }
        }
        return false;
    }

    /** Tar files may omit the directories of their entries; they exist all the same once unpacked. */
    private static void addImplicitDirectories(Map<String, Node> nodes) {
        for (String path : List.copyOf(nodes.keySet())) {
            int slash = path.lastIndexOf('/');
            while (slash > 0) {
                if (nodes.putIfAbsent(path.substring(0, slash), new Node(Type.DIR, null)) != null) {
                    break;
                }
                slash = path.lastIndexOf('/', slash - 1);
            }
        }
    }

    private static void checkStartCommand(CartridgeManifest manifest, Map<String, Node> nodes) {
        String command = manifest.start().get(0);
        List<String> candidates = command.contains("/")
                ? List.of(command.startsWith("/") ? command : "/" + command)
                : PATH.stream().map(dir -> dir + "/" + command).toList();
        for (String candidate : candidates) {
            Node found = resolve(nodes, candidate);
            if (found != null && found.type() == Type.HARDLINK) {
                found = nodes.get(found.target());
            }
            if (found != null && found.type() == Type.FILE) {
                String interpreter = found.target();
                if (interpreter != null) {
                    Node shell = interpreter.startsWith("/") ? resolve(nodes, interpreter) : null;
                    if (shell == null || (shell.type() != Type.FILE && shell.type() != Type.HARDLINK)) {
                        throw StratosException.invalid(ManifestReader.FILE + ":start[0]", "the start command '" + command
                                        + "' is a script for '" + interpreter + "', which is not in the image's rootfs",
                                "add the interpreter (e.g. a shell at /bin/sh) to the rootfs");
                    }
                }
                return;
            }
        }
        throw StratosException.invalid(ManifestReader.FILE + ":start[0]", "the start command '" + command
                        + "' is not a file in the image's rootfs" + (command.contains("/") ? "" : " (searched " + PATH + ")"),
                "the rootfs needs the start command's binary, or a shell when start is [\"/bin/sh\", \"-c\", ...]");
    }

    /** Follows an absolute in-container path through the image's symlinks; null when it does not exist. */
    private static Node resolve(Map<String, Node> nodes, String absolute) {
        Deque<String> todo = new ArrayDeque<>(Arrays.asList(absolute.split("/")));
        List<String> current = new ArrayList<>();
        int hops = 0;
        Node node = new Node(Type.DIR, null);
        while (!todo.isEmpty()) {
            String part = todo.removeFirst();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!current.isEmpty()) {
                    current.remove(current.size() - 1);
                }
                continue;
            }
            current.add(part);
            node = nodes.get(ROOTFS + "/" + String.join("/", current));
            if (node == null) {
                return null;
            }
            if (node.type() == Type.SYMLINK) {
                if (++hops > MAX_LINK_HOPS) {
                    return null;
                }
                current.remove(current.size() - 1);
                if (node.target().startsWith("/")) {
                    current.clear();
                }
                List<String> target = new ArrayList<>(Arrays.asList(node.target().split("/")));
                for (int i = target.size() - 1; i >= 0; i--) {
                    todo.addFirst(target.get(i));
                }
                node = new Node(Type.DIR, null);
            }
        }
        return current.isEmpty() ? null : node;
    }
}
