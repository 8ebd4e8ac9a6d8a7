package io.stratos.lxc.store.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.store.Cartridge;
import io.stratos.lxc.api.store.CartridgeImage;
import io.stratos.lxc.api.store.CartridgeManifest;
import io.stratos.lxc.api.store.CartridgeStore;
import io.stratos.lxc.api.store.CartridgeUsage;
import io.stratos.lxc.api.store.ImageBlob;
import io.stratos.lxc.api.store.StoreStatistics;
import io.stratos.lxc.api.store.UploadResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cartridge store on a local directory:
 * <pre>
 *   &lt;dir&gt;/index.json             versions, digests, sizes, upload times, manifests, tags (atomic replace)
 *   &lt;dir&gt;/blobs/sha256/&lt;hex&gt;     image tarballs, once per digest, immutable
 *   &lt;dir&gt;/tmp/                    uploads in progress; emptied on open
 * </pre>
 * An upload streams to {@code tmp/}, is hashed on the way, checked (size, digest, image), fsynced,
 * renamed into {@code blobs/} and only then entered in the index. A crash at any point leaves
 * either no trace (tmp is emptied, an unreferenced blob is removed on open) or the complete image.
 * Metadata changes are serialised by one lock; uploads stream and validate in parallel.
 */
public final class FileCartridgeStore implements CartridgeStore {

    private static final Logger LOG = LoggerFactory.getLogger(FileCartridgeStore.class);
    static final String LATEST = "latest";
    static final String PRELOADED_MARKER = ".preloaded";

    private final StoreSettings settings;
    private final Supplier<? extends Collection<CartridgeUsage>> usages;
    private final Path directory;
    private final Path blobs;
    private final Path tmp;
    private final ImageValidator validator;
    private final Object lock = new Object();
    private volatile StoreIndex.Content index;

    private final AtomicLong uploads = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong rejects = new AtomicLong();
    private final AtomicLong downloads = new AtomicLong();

    private FileCartridgeStore(StoreSettings settings, Supplier<? extends Collection<CartridgeUsage>> usages) {
        this.settings = settings;
        this.usages = usages;
        this.directory = settings.directory();
        this.blobs = directory.resolve("blobs").resolve("sha256");
        this.tmp = directory.resolve("tmp");
        this.validator = new ImageValidator(settings.maxManifestBytes(), settings.maxUnpackedBytes(), settings.maxEntries());
    }

    /** Opens (creating if needed) the store: empties tmp/, loads the index, drops what a crash left half done. */
    public static FileCartridgeStore open(StoreSettings settings, Supplier<? extends Collection<CartridgeUsage>> usages)
            throws IOException {
        FileCartridgeStore store = new FileCartridgeStore(settings, usages);
        store.recover();
        return store;
    }

    private void recover() throws IOException {
        Files.createDirectories(blobs);
        Files.createDirectories(tmp);
        int leftovers = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp)) {
            for (Path file : files) {
                Files.deleteIfExists(file);
                leftovers++;
            }
        }
        Files.deleteIfExists(directory.resolve(StoreIndex.FILE + ".tmp"));
        StoreIndex.Content loaded = StoreIndex.load(directory);
        List<StoreIndex.Entry> kept = new ArrayList<>();
        for (StoreIndex.Entry entry : loaded.images()) {
            Path blob = blobPath(entry.digest());
            if (Files.isRegularFile(blob) && Files.size(blob) == entry.size()) {
                kept.add(entry);
            } else {
                LOG.warn("Store index lists {} {} but its blob {} is missing or damaged: dropped",
                        entry.name(), entry.version(), entry.digest());
            }
        }
        Set<String> referenced = new HashSet<>();
        kept.forEach(entry -> referenced.add(hex(entry.digest())));
        int orphans = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(blobs)) {
            for (Path file : files) {
                if (!referenced.contains(file.getFileName().toString())) {
                    Files.deleteIfExists(file);
                    orphans++;
                }
            }
        }
        StoreIndex.Content content = new StoreIndex.Content(StoreIndex.FORMAT, kept, cleanTags(loaded.tags(), kept));
        if (kept.size() != loaded.images().size()) {
            StoreIndex.save(directory, content);
        }
        index = content;
        LOG.info("Cartridge store at {}: {} images; removed {} unfinished uploads and {} unreferenced blobs",
                directory, kept.size(), leftovers, orphans);
    }

    /** Uploads every image tarball of a directory once, on the first start of the store. Never throws. */
    void preload(Path from) {
        Path marker = directory.resolve(PRELOADED_MARKER);
        if (from == null || Files.exists(marker) || !Files.isDirectory(from)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(from, "*.{tar,tar.gz,tgz,tar.zst}")) {
            List<Path> sorted = new ArrayList<>();
            files.forEach(sorted::add);
            sorted.sort(null);
            for (Path file : sorted) {
                try (InputStream in = Files.newInputStream(file)) {
                    UploadResult result = upload(null, null, in, Files.size(file), null, null);
                    LOG.info("Preloaded cartridge {} {} ({}) from {}", result.image().name(), result.image().version(),
                            result.image().digest(), file);
                } catch (IOException | StratosException e) {
                    LOG.error("Cannot preload cartridge image {}: {}", file, e.getMessage());
                }
            }
            Files.createFile(marker);
        } catch (IOException e) {
            LOG.error("Cannot preload cartridge images from {}: {}", from, e.getMessage());
        }
    }

    StoreSettings settings() {
        return settings;
    }

    // ---------------------------------------------------------------- reading

    @Override
    public List<Cartridge> list() {
        StoreIndex.Content content = index;
        Map<String, List<StoreIndex.Entry>> byName = new TreeMap<>();
        for (StoreIndex.Entry entry : content.images()) {
            byName.computeIfAbsent(entry.name(), n -> new ArrayList<>()).add(entry);
        }
        List<Cartridge> cartridges = new ArrayList<>();
        byName.forEach((name, entries) -> cartridges.add(cartridge(content, name, entries)));
        return cartridges;
    }

    @Override
    public Cartridge cartridge(String name) {
        Names.checkName("name", name);
        StoreIndex.Content content = index;
        List<StoreIndex.Entry> entries = content.images().stream().filter(e -> e.name().equals(name)).toList();
        if (entries.isEmpty()) {
            throw notFound(name);
        }
        return cartridge(content, name, entries);
    }

    @Override
    public CartridgeImage image(String name, String versionOrTag) {
        Names.checkName("name", name);
        StoreIndex.Content content = index;
        String version = resolve(content, name, versionOrTag);
        StoreIndex.Entry entry = find(content, name, version).orElseThrow(() -> notFound(name, versionOrTag));
        return image(content, entry);
    }

    @Override
    public ImageBlob blob(String digest) {
        Names.checkDigest("digest", digest);
        StoreIndex.Entry entry = index.images().stream().filter(e -> e.digest().equals(digest)).findFirst()
                .orElseThrow(() -> StratosException.notFound("no image has digest " + digest,
                        "GET /cartridges lists the stored digests"));
        downloads.incrementAndGet();
        return new ImageBlob(digest, entry.size(), blobPath(digest));
    }

    @Override
    public long maxImageBytes() {
        return settings.maxImageBytes();
    }

    @Override
    public StoreStatistics statistics() {
        StoreIndex.Content content = index;
        Set<String> names = new HashSet<>();
        Map<String, Long> blobSizes = new HashMap<>();
        for (StoreIndex.Entry entry : content.images()) {
            names.add(entry.name());
            blobSizes.put(entry.digest(), entry.size());
        }
        long bytes = blobSizes.values().stream().mapToLong(Long::longValue).sum();
        return new StoreStatistics(names.size(), content.images().size(), blobSizes.size(), bytes, uploads.get(),
                duplicates.get(), rejects.get(), downloads.get());
    }

    // ---------------------------------------------------------------- writing

    @Override
    public UploadResult upload(String name, String version, InputStream body, long declaredSize, String expectedDigest,
                               byte[] manifestJson) {
        try {
            return doUpload(name, version, body, declaredSize, expectedDigest, manifestJson);
        } catch (StratosException e) {
            rejects.incrementAndGet();
            throw e;
        }
    }

    private UploadResult doUpload(String name, String version, InputStream body, long declaredSize,
                                  String expectedDigest, byte[] manifestJson) {
        if (name != null) {
            Names.checkName("name", name);
        }
        if (version != null) {
            Names.checkVersion("version", version);
        }
        if (expectedDigest != null) {
            Names.checkDigest("Digest", expectedDigest);
        }
        long max = settings.maxImageBytes();
        if (declaredSize > max) {
            throw tooLarge("Content-Length", declaredSize + " bytes are announced");
        }
        Path temp;
        try {
            temp = Files.createTempFile(tmp, "upload-", ".part");
        } catch (IOException e) {
            throw StratosException.unavailable("the store cannot create an upload file in " + tmp + ": " + e.getMessage(),
                    "check the store directory's space and permissions");
        }
        try (ValidatingPipe validation = new ValidatingPipe(validator, manifestJson)) {
            MessageDigest sha256 = sha256();
            long size = receive(body, temp, sha256, max, validation);
            validation.close();
            if (declaredSize >= 0 && size != declaredSize) {
                throw StratosException.invalid("Content-Length", "the body has " + size + " bytes but "
                        + declaredSize + " were announced", "the upload was cut short; send it again");
            }
            String digest = "sha256:" + HexFormat.of().formatHex(sha256.digest());
            if (expectedDigest != null && !expectedDigest.equals(digest)) {
                throw StratosException.invalid("Digest", "the body's digest is " + digest + ", not the expected "
                        + expectedDigest, "the image was damaged on the way or the expected digest is wrong");
            }
            // Size and digest faults come first: a cut or damaged body explains a broken tar.
            ImageValidator.Result checked = validation.result();
            CartridgeManifest manifest = checked.manifest();
            if (name != null && !name.equals(manifest.name())) {
                throw StratosException.invalid("cartridge.json:name", "the manifest names cartridge '" + manifest.name()
                        + "', the request '" + name + "'", "upload to /cartridges/" + manifest.name() + "/versions/"
                        + manifest.version() + " or fix cartridge.json");
            }
            if (version != null && !version.equals(manifest.version())) {
                throw StratosException.invalid("cartridge.json:version", "the manifest has version '"
                        + manifest.version() + "', the request '" + version + "'", "the URL and cartridge.json must agree");
            }
            return commit(manifest, digest, size, temp);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                LOG.warn("Cannot remove upload file {}: {}", temp, e.getMessage());
            }
        }
    }

    /**
     * Streams the body into the file, hashing it and handing it to the validator on the way,
     * refusing it as soon as it passes the limit; fsyncs it.
     */
    private long receive(InputStream body, Path temp, MessageDigest sha256, long max, ValidatingPipe validation) {
        byte[] buffer = new byte[1 << 18];
        long size = 0;
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            while (true) {
                int n;
                try {
                    // Fill the whole buffer: HTTP bodies arrive in small chunks, and one write and one
                    // digest update per 128 KiB is much cheaper than one per chunk.
                    n = body.readNBytes(buffer, 0, buffer.length);
                } catch (IOException e) {
                    throw StratosException.invalid("body", "the upload broke off after " + size + " bytes: "
                            + e.getMessage(), "send it again");
                }
                if (n == 0) {
                    break;
                }
                size += n;
                if (size > max) {
                    throw tooLarge("body", "the body passed " + max + " bytes");
                }
                validation.offer(buffer, n);
                StratosException refusal = validation.definiteRefusal();
                if (refusal != null) {
                    // a bad entry, or a bomb: no need to take (and store) the rest of the body
                    throw refusal;
                }
                sha256.update(buffer, 0, n);
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
            }
            out.force(true);
            return size;
        } catch (IOException e) {
            throw StratosException.unavailable("the store cannot write the upload: " + e.getMessage(),
                    "check the space left in the store directory");
        }
    }

    private UploadResult commit(CartridgeManifest manifest, String digest, long size, Path temp) {
        synchronized (lock) {
            StoreIndex.Content content = index;
            Optional<StoreIndex.Entry> existing = find(content, manifest.name(), manifest.version());
            if (existing.isPresent()) {
                if (existing.get().digest().equals(digest)) {
                    uploads.incrementAndGet();
                    duplicates.incrementAndGet();
                    return new UploadResult(image(content, existing.get()), false);
                }
                throw StratosException.conflict("version", "cartridge " + manifest.name() + " version "
                                + manifest.version() + " is already stored with digest " + existing.get().digest(),
                        "versions are immutable: upload it as a new version, or delete this one first");
            }
            Path blob = blobPath(digest);
            boolean newBlob = !Files.exists(blob);
            try {
                if (newBlob) {
                    Files.move(temp, blob, StandardCopyOption.ATOMIC_MOVE);
                    StoreIndex.fsyncDirectory(blobs);
                }
            } catch (IOException e) {
                throw StratosException.unavailable("the store cannot move the image into place: " + e.getMessage(), null);
            }
            StoreIndex.Entry entry = new StoreIndex.Entry(manifest.name(), manifest.version(), digest, size,
                    Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(), manifest);
            List<StoreIndex.Entry> images = new ArrayList<>(content.images());
            images.add(entry);
            Map<String, Map<String, String>> tags = copy(content.tags());
            Map<String, String> own = tags.computeIfAbsent(manifest.name(), n -> new TreeMap<>());
            String latest = own.get(LATEST);
            if (latest == null || Names.compareVersions(manifest.version(), latest) > 0) {
                own.put(LATEST, manifest.version());
            }
            StoreIndex.Content updated = new StoreIndex.Content(StoreIndex.FORMAT, images, tags);
            try {
                save(updated);
            } catch (StratosException e) {
                if (newBlob) {
                    deleteQuietly(blob);
                }
                throw e;
            }
            uploads.incrementAndGet();
            LOG.info("Stored cartridge {} {} ({}, {} bytes)", manifest.name(), manifest.version(), digest, size);
            return new UploadResult(image(updated, entry), true);
        }
    }

    @Override
    public void delete(String name, String version) {
        Names.checkName("name", name);
        Names.checkVersion("version", version);
        if (find(index, name, version).isEmpty()) {
            throw notFound(name, version);
        }
        Set<String> users = new TreeSet<>();
        for (CartridgeUsage usage : usages.get()) {
            try {
                users.addAll(usage.subscriptionsUsing(name, version));
            } catch (RuntimeException e) {
                throw StratosException.unavailable("cannot tell whether " + name + " " + version
                        + " is in use: " + e.getMessage(), "try again later");
            }
        }
        if (!users.isEmpty()) {
            throw StratosException.conflict("version", "cartridge " + name + " version " + version
                    + " is used by subscription" + (users.size() == 1 ? " " : "s ") + String.join(", ", users),
                    "unsubscribe or move those subscriptions to another version first");
        }
        String digest;
        synchronized (lock) {
            StoreIndex.Content content = index;
            StoreIndex.Entry entry = find(content, name, version).orElseThrow(() -> notFound(name, version));
            digest = entry.digest();
            List<StoreIndex.Entry> images = new ArrayList<>(content.images());
            images.remove(entry);
            StoreIndex.Content updated = new StoreIndex.Content(StoreIndex.FORMAT, images, cleanTags(content.tags(), images));
            save(updated);
            if (images.stream().noneMatch(e -> e.digest().equals(digest))) {
                deleteQuietly(blobPath(digest));
            }
        }
        LOG.info("Deleted cartridge {} {} ({})", name, version, digest);
    }

    @Override
    public Cartridge tag(String name, String tag, String version) {
        Names.checkName("name", name);
        Names.checkTag("tag", tag);
        if (version == null) {
            throw StratosException.invalid("version", "no version to tag", "send {\"version\": \"1.0.0\"}");
        }
        synchronized (lock) {
            StoreIndex.Content content = index;
            String resolved = resolve(content, name, version);
            if (find(content, name, resolved).isEmpty()) {
                throw notFound(name, version);
            }
            Map<String, Map<String, String>> tags = copy(content.tags());
            tags.computeIfAbsent(name, n -> new TreeMap<>()).put(tag, resolved);
            StoreIndex.Content updated = new StoreIndex.Content(StoreIndex.FORMAT, content.images(), tags);
            save(updated);
            return cartridge(name);
        }
    }

    @Override
    public Cartridge untag(String name, String tag) {
        Names.checkName("name", name);
        Names.checkTag("tag", tag);
        synchronized (lock) {
            StoreIndex.Content content = index;
            Map<String, Map<String, String>> tags = copy(content.tags());
            Map<String, String> own = tags.get(name);
            if (own == null || own.remove(tag) == null) {
                throw StratosException.notFound("cartridge " + name + " has no tag " + tag, "GET /cartridges/" + name);
            }
            save(new StoreIndex.Content(StoreIndex.FORMAT, content.images(), tags));
            return cartridge(name);
        }
    }

    // ---------------------------------------------------------------- helpers

    private void save(StoreIndex.Content updated) {
        try {
            StoreIndex.save(directory, updated);
            index = updated;
        } catch (IOException e) {
            throw StratosException.unavailable("the store cannot write its index: " + e.getMessage(),
                    "check the space left in " + directory);
        }
    }

    private static Cartridge cartridge(StoreIndex.Content content, String name, List<StoreIndex.Entry> entries) {
        List<StoreIndex.Entry> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> Names.compareVersions(a.version(), b.version()));
        List<CartridgeImage> versions = sorted.stream().map(e -> image(content, e)).toList();
        return new Cartridge(name, content.tags().getOrDefault(name, Map.of()), versions);
    }

    private static CartridgeImage image(StoreIndex.Content content, StoreIndex.Entry entry) {
        List<String> tags = new ArrayList<>();
        content.tags().getOrDefault(entry.name(), Map.of()).forEach((tag, version) -> {
            if (version.equals(entry.version())) {
                tags.add(tag);
            }
        });
        tags.sort(null);
        return new CartridgeImage(entry.name(), entry.version(), entry.digest(), entry.size(), entry.uploadedAt(),
                tags, entry.manifest());
    }

    private static String resolve(StoreIndex.Content content, String name, String versionOrTag) {
        if (versionOrTag != null && Names.TAG.matcher(versionOrTag).matches()) {
            String version = content.tags().getOrDefault(name, Map.of()).get(versionOrTag);
            if (version == null) {
                throw StratosException.notFound("cartridge " + name + " has no tag " + versionOrTag,
                        "GET /cartridges/" + name + " lists its versions and tags");
            }
            return version;
        }
        Names.checkVersion("version", versionOrTag);
        return versionOrTag;
    }

    private static Optional<StoreIndex.Entry> find(StoreIndex.Content content, String name, String version) {
        return content.images().stream().filter(e -> e.name().equals(name) && e.version().equals(version)).findFirst();
    }

    /** Tags pointing at versions that exist; {@code latest} falls back to the highest remaining version. */
    private static Map<String, Map<String, String>> cleanTags(Map<String, Map<String, String>> tags,
                                                             List<StoreIndex.Entry> images) {
        Map<String, Map<String, String>> clean = new TreeMap<>();
        Map<String, List<String>> versions = new HashMap<>();
        images.forEach(e -> versions.computeIfAbsent(e.name(), n -> new ArrayList<>()).add(e.version()));
        versions.forEach((name, list) -> {
            Map<String, String> own = new TreeMap<>();
            tags.getOrDefault(name, Map.of()).forEach((tag, version) -> {
                if (list.contains(version)) {
                    own.put(tag, version);
                }
            });
            own.computeIfAbsent(LATEST, t -> list.stream().max(Names.VERSION_ORDER).orElseThrow());
            clean.put(name, own);
        });
        return clean;
    }

    private static Map<String, Map<String, String>> copy(Map<String, Map<String, String>> tags) {
        Map<String, Map<String, String>> copy = new TreeMap<>();
        tags.forEach((name, own) -> copy.put(name, new TreeMap<>(own)));
        return copy;
    }

    Path blobPath(String digest) {
        return blobs.resolve(hex(digest));
    }

    Path directory() {
        return directory;
    }

    private static String hex(String digest) {
        return digest.substring("sha256:".length());
    }

    private StratosException tooLarge(String field, String what) {
        return StratosException.tooLarge(field, "the image is too large: " + what + ", the limit is "
                + settings.maxImageBytes() + " bytes", "raise maxImageBytes in io.stratos.lxc.store.cfg or make the image smaller");
    }

    private static StratosException notFound(String name) {
        return StratosException.notFound("no cartridge " + name, "GET /cartridges lists the stored cartridges");
    }

    private static StratosException notFound(String name, String version) {
        return StratosException.notFound("no cartridge " + name + " version " + version,
                "GET /cartridges/" + name + " lists its versions");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", file, e.getMessage());
        }
    }
}
