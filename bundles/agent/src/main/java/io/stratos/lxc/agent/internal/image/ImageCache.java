package io.stratos.lxc.agent.internal.image;

import io.stratos.lxc.agent.exec.FileTree;
import io.stratos.lxc.agent.exec.Exec;
import io.stratos.lxc.api.StratosException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VM's cartridge image cache. The first process of an image fetches the tarball from the store (resuming
 * a broken download with {@code Range}), verifies its sha256, and unpacks it once into
 * {@code <imagesDir>/<hex>/} through a temporary directory and an atomic rename, so a failure half-way
 * (disk full, a bad tarball) leaves no half image. Later processes reuse it; concurrent requests for one
 * digest share one fetch. Images in use are counted ({@link #acquire}/{@link #release}); beyond the size
 * limit, unused images are evicted least recently used first.
 */
public final class ImageCache {

    private static final Logger LOG = LoggerFactory.getLogger(ImageCache.class);
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
    private static final String META = ".stratos-size";

    private final Path imagesDir;
    private final Path downloadsDir;
    private final long maxBytes;
    private final HttpClient http;
    private final Exec exec;
    private final Map<String, CompletableFuture<CachedImage>> inflight = new ConcurrentHashMap<>();
    private final Map<String, Integer> users = new HashMap<>();
    private final Map<String, Long> lastUsed = new HashMap<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private long clock;
    private final List<Consumer<CachedImage>> evictionListeners = new CopyOnWriteArrayList<>();
    /** The Authorization header for image downloads (the agent's credentials once registered), or null. */
    private volatile java.util.function.Supplier<String> authorization = () -> null;

    /** What the cache holds: cartridge images (cartridge.json + rootfs/) or application artifacts (app/). */
    public enum Kind {
        IMAGE("image", "cartridge.json and rootfs/"), ARTIFACT("artifact", "app/");

        final String word;
        final String layout;

        Kind(String word, String layout) {
            this.word = word;
            this.layout = layout;
        }

        boolean laidOut(Path dir) {
            return this == IMAGE
                    ? Files.isRegularFile(dir.resolve("cartridge.json"), LinkOption.NOFOLLOW_LINKS)
                            && Files.isDirectory(dir.resolve("rootfs"), LinkOption.NOFOLLOW_LINKS)
                    : Files.isDirectory(dir.resolve("app"), LinkOption.NOFOLLOW_LINKS);
        }
    }

    private final Kind kind;

    public ImageCache(Path imagesDir, Path downloadsDir, long maxBytes, HttpClient http, Exec exec) {
        this(Kind.IMAGE, imagesDir, downloadsDir, maxBytes, http, exec);
    }

    public ImageCache(Kind kind, Path imagesDir, Path downloadsDir, long maxBytes, HttpClient http, Exec exec) {
        this.kind = kind;
        this.imagesDir = imagesDir;
        this.downloadsDir = downloadsDir;
        this.maxBytes = maxBytes;
        this.http = http;
        this.exec = exec;
        try {
            Files.createDirectories(imagesDir);
            Files.createDirectories(downloadsDir);
            try (Stream<Path> leftovers = Files.list(imagesDir)) {
                leftovers.filter(p -> p.getFileName().toString().startsWith(".unpack-")).forEach(FileTree::delete);
            }
        } catch (IOException e) {
            LOG.warn("Cannot prepare the image cache in {}: {}", imagesDir, e.getMessage());
        }
    }

    /** Downloads send what this supplies as their Authorization header (nothing while it supplies null). */
    public void authorizeWith(java.util.function.Supplier<String> authorization) {
        this.authorization = authorization;
    }

    public static HttpClient defaultHttpClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** {@code <controllerUrl>/api/v1/images/sha256:<hex>}. */
    public static URI imageUrl(String controllerUrl, String digest) {
        String base = controllerUrl.endsWith("/") ? controllerUrl.substring(0, controllerUrl.length() - 1) : controllerUrl;
        return URI.create(base + "/api/v1/images/sha256:" + hex(digest));
    }

    /** {@code <controllerUrl>/api/v1/artifacts/sha256:<hex>}. */
    public static URI artifactUrl(String controllerUrl, String digest) {
        String base = controllerUrl.endsWith("/") ? controllerUrl.substring(0, controllerUrl.length() - 1) : controllerUrl;
        return URI.create(base + "/api/v1/artifacts/sha256:" + hex(digest));
    }

    /** The 64 hex digits of {@code sha256:<hex>} or {@code <hex>}. */
    public static String hex(String digest) {
        String hex = digest == null ? "" : digest.startsWith("sha256:") ? digest.substring(7) : digest;
        if (!HEX.matcher(hex).matches()) {
            throw StratosException.invalid("digest", "image digest '" + digest + "' is not sha256:<64 lower-case hex>", null);
        }
        return hex;
    }

    /** Called after an image was evicted (e.g. to drop its Docker import too). */
    public void onEviction(Consumer<CachedImage> listener) {
        evictionListeners.add(listener);
    }

    /** How many downloads this cache has started (for tests and status). */
    public int fetches() {
        return fetches.get();
    }

    /**
     * The image, fetched and unpacked if needed, counted as in use until {@link #release}. Throws a
     * {@link StratosException}: INVALID_INPUT on a digest mismatch or a malformed image, UNAVAILABLE when the
     * store cannot be reached or the disk is full.
     */
    public CachedImage acquire(String digest, URI source) {
        String hex = hex(digest);
        while (true) {
            synchronized (this) {
                Optional<CachedImage> cached = lookup(hex);
                if (cached.isPresent()) {
                    users.merge(hex, 1, Integer::sum);
                    touch(hex);
                    return cached.get();
                }
            }
            CompletableFuture<CachedImage> mine = new CompletableFuture<>();
            CompletableFuture<CachedImage> running = inflight.putIfAbsent(hex, mine);
            if (running != null) {
                try {
                    running.join();
                } catch (CompletionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : e;
                }
                continue; // count ourselves in as a user under the lock
            }
            try {
                CachedImage image = fetchAndUnpack(hex, source);
                synchronized (this) {
                    users.merge(hex, 1, Integer::sum);
                    touch(hex);
                }
                mine.complete(image);
                evict();
                return image;
            } catch (RuntimeException e) {
                mine.completeExceptionally(e);
                throw e;
            } finally {
                inflight.remove(hex, mine);
            }
        }
    }

    /** One process stopped using the image. */
    public synchronized void release(String digest) {
        String hex = hex(digest);
        users.computeIfPresent(hex, (k, n) -> n <= 1 ? null : n - 1);
        touch(hex);
        evictLocked();
    }

    /** Marks an image as used by a re-adopted container. */
    public synchronized boolean retain(String digest) {
        String hex = hex(digest);
        if (lookup(hex).isEmpty()) {
            return false;
        }
        users.merge(hex, 1, Integer::sum);
        touch(hex);
        return true;
    }

    public synchronized int users(String digest) {
        return users.getOrDefault(hex(digest), 0);
    }

    /** The unpacked image when it is in the cache. */
    public synchronized Optional<CachedImage> lookup(String digest) {
        String hex = hex(digest);
        Path dir = imagesDir.resolve(hex);
        if (!kind.laidOut(dir)) {
            return Optional.empty();
        }
        return Optional.of(new CachedImage("sha256:" + hex, dir, sizeOf(dir)));
    }

    public synchronized List<CachedImage> list() {
        List<CachedImage> all = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(imagesDir)) {
            for (Path dir : dirs.toList()) {
                String name = dir.getFileName().toString();
                if (HEX.matcher(name).matches()) {
                    lookup(name).ifPresent(all::add);
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot list {}: {}", imagesDir, e.getMessage());
        }
        return all;
    }

    /** When a process last started or stopped on the image (epoch millis; the directory's mtime after a restart). */
    public synchronized long lastUsedMillis(String digest) {
        return lastUsed(hex(digest));
    }

    public long maxBytes() {
        return maxBytes;
    }

    public synchronized long totalBytes() {
        return list().stream().mapToLong(CachedImage::sizeBytes).sum();
    }

    /** Evicts unused images, least recently used first, until the cache fits its limit. */
    public synchronized void evict() {
        evictLocked();
    }

    private void evictLocked() {
        List<CachedImage> images = new ArrayList<>(list());
        long total = images.stream().mapToLong(CachedImage::sizeBytes).sum();
        images.sort(Comparator.comparingLong(i -> lastUsed(i.hex())));
        for (CachedImage image : images) {
            if (total <= maxBytes) {
                break;
            }
            if (users.getOrDefault(image.hex(), 0) > 0 || inflight.containsKey(image.hex())) {
                continue;
            }
            // rename first, so a crash mid-delete leaves a leftover that the next start removes, not a half image
            Path doomed = imagesDir.resolve(".unpack-evicted-" + image.hex() + "-" + System.nanoTime());
            try {
                Files.move(image.dir(), doomed, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                LOG.warn("Cannot evict {}: {}", image.digest(), e.getMessage());
                continue;
            }
            FileTree.delete(doomed);
            lastUsed.remove(image.hex());
            total -= image.sizeBytes();
            LOG.info("Evicted image {} ({} bytes) from the cache", image.digest(), image.sizeBytes());
            for (Consumer<CachedImage> listener : evictionListeners) {
                try {
                    listener.accept(image);
                } catch (RuntimeException e) {
                    LOG.warn("After evicting {}: {}", image.digest(), e.getMessage());
                }
            }
        }
    }

    private CachedImage fetchAndUnpack(String hex, URI source) {
        Path tarball = downloadsDir.resolve(hex + ".tar");
        long started = System.nanoTime();
        if (!(Files.isRegularFile(tarball) && sha256(tarball).equals(hex))) {
            String streamed = download(hex, source, tarball);
            String actual = streamed != null ? streamed : sha256(tarball);
            if (!actual.equals(hex)) {
                deleteQuietly(tarball);
                throw StratosException.invalid("digest", kind.word + " from " + source + " has digest sha256:" + actual
                        + ", expected sha256:" + hex + ": refused", "the store's copy is corrupt or the URL is wrong");
            }
        }
        long fetched = System.nanoTime();
        CachedImage image = unpack(hex, tarball);
        deleteQuietly(tarball);
        LOG.info("{} sha256:{} fetched in {} ms, unpacked in {} ms ({} bytes)", kind.word, hex, (fetched - started) / 1_000_000,
                (System.nanoTime() - fetched) / 1_000_000, image.sizeBytes());
        return image;
    }

    /**
     * Downloads to the tarball file, resuming after what is already there. Returns the file's sha256 when the
     * whole body came in this answer (hashed on the way, so the file is not read a second time), else null.
     */
    private String download(String hex, URI source, Path tarball) {
        fetches.incrementAndGet();
        long have = Files.isRegularFile(tarball) ? size(tarball) : 0;
        HttpRequest.Builder request = HttpRequest.newBuilder(source).timeout(Duration.ofMinutes(10)).GET();
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
        }
        String credentials = authorization.get();
        if (credentials != null) {
            request.header("Authorization", credentials);
        }
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw StratosException.unavailable("cannot fetch " + kind.word + " sha256:" + hex + " from " + source + ": " + e, "is the controller reachable?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StratosException.unavailable("interrupted while fetching " + kind.word + " sha256:" + hex, null);
        }
        int status = response.statusCode();
        try (InputStream body = response.body()) {
            if (status == 416 && have > 0) {
                return null; // we have it all already; the digest check decides
            }
            if (status == 404) {
                throw StratosException.notFound(kind.word + " sha256:" + hex + " is not in the store at " + source, null);
            }
            if (status != 200 && status != 206) {
                throw StratosException.unavailable("fetching " + kind.word + " sha256:" + hex + " from " + source + " answered HTTP " + status, null);
            }
            boolean append = status == 206;
            MessageDigest digest = append ? null : sha256Digest();
            try (OutputStream out = Files.newOutputStream(tarball, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                // What has arrived is written at once (not when a buffer is full): a broken download keeps it to resume.
                byte[] buffer = new byte[1 << 20];
                int n;
                while ((n = body.read(buffer)) >= 0) {
                    if (digest != null) {
                        digest.update(buffer, 0, n);
                    }
                    out.write(buffer, 0, n);
                }
            }
            return digest == null ? null : HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            // keep what we have: the next attempt resumes from there
            throw StratosException.unavailable("download of " + kind.word + " sha256:" + hex + " broke off after " + size(tarball) + " bytes ("
                    + e.getMessage() + "); the next attempt resumes from there", "retry");
        }
    }

    private CachedImage unpack(String hex, Path tarball) {
        Path target = imagesDir.resolve(hex);
        Path temp = imagesDir.resolve(".unpack-" + hex + "-" + System.nanoTime());
        try {
            Files.createDirectories(temp);
            Exec.Result tar = exec.run(10 * 60_000L, "tar", "-xpf", tarball.toAbsolutePath().toString(), "-C", temp.toString());
            if (!tar.ok()) {
                boolean full = tar.output().contains("No space left") || tar.output().contains("Wrote only")
                        || usableSpace(imagesDir) < 64 * 1024;
                throw full ? StratosException.unavailable("no space left to unpack image sha256:" + hex + " in " + imagesDir,
                        "free disk space or lower imageCacheMiB")
                        : StratosException.invalid("image", kind.word + " sha256:" + hex + " cannot be unpacked: " + tar.output(), null);
            }
            if (!kind.laidOut(temp)) {
                throw StratosException.invalid(kind.word, kind.word + " sha256:" + hex + " has no " + kind.layout + " at its top", null);
            }
            long bytes = treeSize(temp);
            Files.writeString(temp.resolve(META), String.valueOf(bytes));
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw StratosException.unavailable("cannot rename the unpacked image into place: " + e.getMessage(), null);
            }
            return new CachedImage("sha256:" + hex, target, bytes);
        } catch (IOException e) {
            throw StratosException.unavailable("cannot unpack " + kind.word + " sha256:" + hex + ": " + e.getMessage(), "free disk space");
        } finally {
            FileTree.delete(temp);
        }
    }

    private void touch(String hex) {
        long now = System.currentTimeMillis();
        clock = Math.max(now, clock + 1); // strictly increasing, so uses in one millisecond keep their order
        lastUsed.put(hex, clock);
        try {
            Files.setLastModifiedTime(imagesDir.resolve(hex), FileTime.fromMillis(now));
        } catch (IOException e) {
            // only a hint for the LRU order after a restart
        }
    }

    private long lastUsed(String hex) {
        Long known = lastUsed.get(hex);
        if (known != null) {
            return known;
        }
        try {
            return Files.getLastModifiedTime(imagesDir.resolve(hex)).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static long sizeOf(Path dir) {
        try {
            return Long.parseLong(Files.readString(dir.resolve(META)).trim());
        } catch (IOException | NumberFormatException e) {
            return treeSize(dir);
        }
    }

    static long treeSize(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.mapToLong(p -> {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    return a.isRegularFile() ? a.size() : 0;
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = sha256Digest();
            byte[] buffer = new byte[1 << 20];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            return "";
        }
    }

    private static long usableSpace(Path dir) {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("Cannot delete {}: {}", file, e.getMessage());
        }
    }

}
