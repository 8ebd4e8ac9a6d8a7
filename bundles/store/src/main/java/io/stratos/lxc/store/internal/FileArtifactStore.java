package io.stratos.lxc.store.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.artifact.ArtifactStore;
import io.stratos.lxc.api.artifact.StoredArtifact;
import io.stratos.lxc.api.store.ImageBlob;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Application artifacts on disk:
 * <pre>
 *   &lt;dir&gt;/sha256/&lt;hex&gt;   normalised tarballs (every entry under app/), once per digest, immutable
 *   &lt;dir&gt;/tmp/            uploads in progress, removed at start
 * </pre>
 * An upload is received into {@code tmp/} up to {@code maxBytes}, then read entry by entry and rewritten as the
 * normalised tarball: owners 0, time 0, modes without setuid/setgid/sticky, so the same content always has the
 * same digest. Anything that could reach outside the application directory on an agent is refused, naming the
 * entry: absolute paths, {@code ..}, links with absolute targets or targets that climb out, hard links, entries
 * below a symbolic link, devices and fifos, setuid/setgid files.
 */
final class FileArtifactStore implements ArtifactStore {

    private static final Logger LOG = LoggerFactory.getLogger(FileArtifactStore.class);
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    static final String TOP = "app/";

    private final Path blobs;
    private final Path tmp;
    private final long maxBytes;
    private final long maxUnpackedBytes;
    private final int maxEntries;

    FileArtifactStore(Path directory, long maxBytes, long maxUnpackedBytes, int maxEntries) throws IOException {
        this.blobs = directory.resolve("sha256");
        this.tmp = directory.resolve("tmp");
        this.maxBytes = maxBytes;
        this.maxUnpackedBytes = maxUnpackedBytes;
        this.maxEntries = maxEntries;
        Files.createDirectories(blobs);
        Files.createDirectories(tmp);
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(tmp)) {
            for (Path file : leftovers) {
                Files.deleteIfExists(file);
            }
        }
    }

    long maxBytes() {
        return maxBytes;
    }

    @Override
    public StoredArtifact put(InputStream artifact) {
        if (artifact == null) {
            throw StratosException.invalid("artifact", "no artifact in the request body", "send a tar, tar.gz or zip file as the body");
        }
        Path received = null;
        Path normalised = null;
        try {
            received = Files.createTempFile(tmp, "upload-", ".part");
            receive(artifact, received);
            normalised = Files.createTempFile(tmp, "normalised-", ".tar");
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            int files;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(received), 1 << 16);
                 OutputStream out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(normalised), 1 << 16), sha256)) {
                files = normalise(in, out);
            }
            String hex = HexFormat.of().formatHex(sha256.digest());
            Path blob = blobs.resolve(hex);
            long size = Files.size(normalised);
            if (Files.exists(blob)) {
                Files.delete(normalised);
            } else {
                try {
                    Files.move(normalised, blob, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                    Files.deleteIfExists(normalised); // a concurrent upload of the same content won
                }
            }
            LOG.info("Artifact sha256:{} stored ({} bytes, {} files)", hex, size, files);
            return new StoredArtifact("sha256:" + hex, size, files);
        } catch (IOException e) {
            boolean full = e.getMessage() != null && e.getMessage().contains("No space left");
            throw StratosException.unavailable((full ? "no space left to store the artifact" : "cannot store the artifact: " + e.getMessage()),
                    "free disk space in the store's directory and retry");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            deleteQuietly(received);
            deleteQuietly(normalised);
        }
    }

    @Override
    public Optional<ImageBlob> open(String digest) {
        if (digest == null || !DIGEST.matcher(digest).matches()) {
            throw StratosException.invalid("digest", "'" + digest + "' is not sha256:<64 hex digits>", null);
        }
        Path blob = blobs.resolve(digest.substring("sha256:".length()));
        try {
            return Files.isRegularFile(blob) ? Optional.of(new ImageBlob(digest, Files.size(blob), blob)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public int retainOnly(java.util.Set<String> keep, java.time.Duration minAge) {
        long cutoff = System.currentTimeMillis() - minAge.toMillis();
        int deleted = 0;
        try (DirectoryStream<Path> blobFiles = Files.newDirectoryStream(blobs)) {
            for (Path blob : blobFiles) {
                String digest = "sha256:" + blob.getFileName();
                if (!keep.contains(digest) && Files.getLastModifiedTime(blob).toMillis() < cutoff) {
                    Files.deleteIfExists(blob);
                    deleted++;
                }
            }
        } catch (IOException e) {
            LOG.warn("Artifact garbage collection in {} stopped: {}", blobs, e.toString());
        }
        if (deleted > 0) {
            LOG.info("Deleted {} artifacts no subscription keeps any more", deleted);
        }
        return deleted;
    }

    /** Copies the body to the file, refusing it as soon as it passes maxBytes (nothing more is read). */
    private void receive(InputStream body, Path file) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int n; (n = body.read(buffer)) > 0; ) {
                total += n;
                if (total > maxBytes) {
                    throw StratosException.tooLarge("artifact", "the artifact is larger than " + maxBytes + " bytes",
                            "make it smaller, or raise maxArtifactBytes in etc/io.stratos.lxc.store.cfg");
                }
                out.write(buffer, 0, n);
            }
        }
        if (total == 0) {
            throw StratosException.invalid("artifact", "the artifact is empty", "send a tar, tar.gz or zip file as the body");
        }
    }

    /** Reads the archive, checks every entry and writes the normalised tar; returns the number of files. */
    private int normalise(InputStream in, OutputStream out) throws IOException {
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        boolean zip = magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
        boolean gzip = magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
        InputStream counted = new CountingLimit(gzip ? gunzip(in) : in, maxUnpackedBytes);
        ArchiveInputStream<? extends ArchiveEntry> archive = zip
                ? new ZipArchiveInputStream(counted, StandardCharsets.UTF_8.name(), true, true)
                : new TarArchiveInputStream(counted, StandardCharsets.UTF_8.name());
        Set<String> seen = new HashSet<>();
        Set<String> links = new HashSet<>();
        int entries = 0;
        int files = 0;
        // Reading the upload fails only on what the user sent (truncated, corrupt): a 400, never the store's 503.
        InputStream body = new ReadsAsInvalid(archive);
        try (archive; TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.putArchiveEntry(directory(TOP, 0755));
            tar.closeArchiveEntry();
            ArchiveEntry entry;
            while ((entry = nextEntry(archive)) != null) {
                String target;
                if (++entries > maxEntries) {
                    throw StratosException.tooLarge("artifact", "the artifact has more than " + maxEntries + " entries", null);
                }
                String name = relative(entry.getName());
                if (name.isEmpty()) {
                    continue; // "./" itself
                }
                for (String link : links) {
                    if (name.startsWith(link + "/")) {
                        throw refused(entry, "lies below the symbolic link " + link);
                    }
                }
                if (!seen.add(name)) {
                    throw refused(entry, "appears twice");
                }
                int mode = mode(entry);
                if ((mode & 06000) != 0) {
                    throw refused(entry, "is setuid or setgid");
                }
                mode &= 0777;
                if (entry.isDirectory()) {
                    tar.putArchiveEntry(directory(TOP + name + "/", mode | 0700));
                    tar.closeArchiveEntry();
                } else if ((target = symlinkTarget(body, entry)) != null) {
                    checkLinkTarget(entry, name, target);
                    links.add(name);
                    TarArchiveEntry link = new TarArchiveEntry(TOP + name, TarArchiveEntry.LF_SYMLINK);
                    link.setLinkName(target);
                    normalise(link, 0777);
                    tar.putArchiveEntry(link);
                    tar.closeArchiveEntry();
                } else if (regularFile(entry)) {
                    byte[] buffer = new byte[1 << 16];
                    Path spool = null;
                    // Zip entries may not declare their size: spool to learn it (the tar header comes first).
                    long size = entry.getSize();
                    if (size < 0) {
                        spool = Files.createTempFile(tmp, "entry-", ".part");
                        try (OutputStream s = Files.newOutputStream(spool)) {
                            body.transferTo(s);
                        }
                        size = Files.size(spool);
                    }
                    TarArchiveEntry file = new TarArchiveEntry(TOP + name, TarArchiveEntry.LF_NORMAL);
                    normalise(file, mode | 0400);
                    file.setSize(size);
                    tar.putArchiveEntry(file);
                    try (InputStream spooled = spool == null ? null : Files.newInputStream(spool)) {
                        InputStream source = spooled == null ? body : spooled;
                        long left = size;
                        for (int n; left > 0 && (n = source.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0; ) {
                            tar.write(buffer, 0, n);
                            left -= n;
                        }
                        if (left > 0) {
                            throw refused(entry, "is cut short");
                        }
                    } finally {
                        deleteQuietly(spool);
                    }
                    tar.closeArchiveEntry();
                    files++;
                } else {
                    throw refused(entry, "is not a regular file, directory or symbolic link (hard links, devices and fifos are refused)");
                }
            }
            tar.finish();
        }
        if (files == 0) {
            throw StratosException.invalid("artifact", "the artifact has no files", "pack the application's files into a tar, tar.gz or zip");
        }
        return files;
    }

    private static InputStream gunzip(InputStream in) {
        try {
            return new ReadsAsInvalid(new GzipCompressorInputStream(in));
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    private static StratosException unreadable(Exception e) {
        return StratosException.invalid("artifact", "the artifact is not a readable tar, tar.gz or zip: "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), "send a tar, tar.gz or zip file as the body");
    }

    private static ArchiveEntry nextEntry(ArchiveInputStream<? extends ArchiveEntry> archive) {
        try {
            return archive.getNextEntry();
        } catch (IOException | RuntimeException e) {
            if (e instanceof StratosException stratos) {
                throw stratos;
            }
            throw unreadable(e);
        }
    }

    /** The entry's path relative to the application directory, without a leading "./"; refuses escapes. */
    private static String relative(String raw) {
        String name = raw == null ? "" : raw;
        if (name.indexOf('\0') >= 0 || name.indexOf('\n') >= 0 || name.indexOf('\\') >= 0) {
            throw StratosException.invalid(printable(name), "artifact entry '" + printable(name) + "' has a NUL, line break or backslash in its name", null);
        }
        if (name.startsWith("/")) {
            throw StratosException.invalid(name, "artifact entry '" + name + "' has an absolute path", "use paths relative to the application directory");
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw StratosException.invalid(name, "artifact entry '" + name + "' contains '..'", "use paths inside the application directory");
            }
            parts.addLast(part);
        }
        return String.join("/", parts);
    }

    /** A link may point anywhere inside the application directory, relatively; nothing else. */
    private static void checkLinkTarget(ArchiveEntry entry, String name, String target) {
        if (target.isEmpty() || target.startsWith("/") || target.indexOf('\0') >= 0) {
            throw refused(entry, "is a symbolic link to '" + printable(target) + "', outside the application directory");
        }
        int depth = name.split("/").length - 1;
        for (String part : target.split("/")) {
            if (part.equals("..")) {
                depth--;
            } else if (!part.isEmpty() && !part.equals(".")) {
                depth++;
            }
            if (depth < 0) {
                throw refused(entry, "is a symbolic link to '" + target + "', outside the application directory");
            }
        }
    }

    private static String symlinkTarget(InputStream archive, ArchiveEntry entry) throws IOException {
        if (entry instanceof TarArchiveEntry tar && tar.isSymbolicLink()) {
            return tar.getLinkName();
        }
        if (entry instanceof ZipArchiveEntry zip && zip.isUnixSymlink()) {
            byte[] target = archive.readNBytes(4097);
            if (target.length > 4096) {
                throw refused(entry, "is a symbolic link with a target longer than 4096 bytes");
            }
            return new String(target, StandardCharsets.UTF_8);
        }
        return null;
    }

    private static boolean regularFile(ArchiveEntry entry) {
        if (entry instanceof TarArchiveEntry tar) {
            // isFile() also says true for devices and fifos: decide by the type flag
            byte type = tar.getLinkFlag();
            return type == TarArchiveEntry.LF_NORMAL || type == TarArchiveEntry.LF_OLDNORM || type == TarArchiveEntry.LF_CONTIG;
        }
        if (entry instanceof ZipArchiveEntry zip) {
            int type = zip.getUnixMode() & 0170000;
            return type == 0 || type == 0100000;
        }
        return false;
    }

    private static int mode(ArchiveEntry entry) {
        if (entry instanceof TarArchiveEntry tar) {
            return tar.getMode();
        }
        if (entry instanceof ZipArchiveEntry zip && zip.getUnixMode() != 0) {
            return zip.getUnixMode() & 07777;
        }
        return entry.isDirectory() ? 0755 : 0644;
    }

    private static TarArchiveEntry directory(String name, int mode) {
        TarArchiveEntry dir = new TarArchiveEntry(name, TarArchiveEntry.LF_DIR);
        normalise(dir, mode);
        return dir;
    }

    private static void normalise(TarArchiveEntry entry, int mode) {
        entry.setMode(entry.isSymbolicLink() ? 0777 : mode);
        entry.setUserId(0);
        entry.setGroupId(0);
        entry.setUserName("");
        entry.setGroupName("");
        entry.setModTime(0);
    }

    private static StratosException refused(ArchiveEntry entry, String why) {
        String name = printable(entry.getName());
        return StratosException.invalid(name, "artifact entry '" + name + "' " + why, "remove it from the artifact");
    }

    private static String printable(String s) {
        return s == null ? "" : s.replaceAll("[\\p{Cntrl}]", "?");
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // removed at the next start
            }
        }
    }

    /** Counts what the archive reader consumes after decompression: a bomb stops at the limit. */
    private static final class CountingLimit extends java.io.FilterInputStream {
        private final long limit;
        private long count;

        CountingLimit(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        private void add(long n) {
            count += n;
            if (count > limit) {
                throw StratosException.tooLarge("artifact", "the artifact unpacks to more than " + limit + " bytes",
                        "make it smaller, or raise maxArtifactBytes in etc/io.stratos.lxc.store.cfg");
            }
        }
    }

    /** Turns a read failure of the uploaded archive into the user's error (the store's own writes stay IOExceptions). */
    private static final class ReadsAsInvalid extends java.io.FilterInputStream {
        ReadsAsInvalid(InputStream in) {
            super(in);
        }

        @Override
        public int read() {
            try {
                return super.read();
            } catch (IOException | RuntimeException e) {
                throw translated(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) {
            try {
                return super.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                throw translated(e);
            }
        }

        private static RuntimeException translated(Exception e) {
            return e instanceof StratosException stratos ? stratos : unreadable(e);
        }
    }
}
