package io.stratos.lxc.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.store.Cartridge;
import io.stratos.lxc.api.store.CartridgeImage;
import io.stratos.lxc.api.store.CartridgeUsage;
import io.stratos.lxc.api.store.ImageBlob;
import io.stratos.lxc.api.store.UploadResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCartridgeStoreTest {

    @TempDir
    Path dir;

    private final List<CartridgeUsage> usages = new CopyOnWriteArrayList<>();
    private FileCartridgeStore store;

    @BeforeEach
    void open() throws IOException {
        store = open(4L * 1024 * 1024 * 1024);
    }

    private FileCartridgeStore open(long maxImageBytes) throws IOException {
        return FileCartridgeStore.open(new StoreSettings(dir, maxImageBytes, 2L * 1024 * 1024 * 1024, 64 * 1024, null),
                () -> usages);
    }

    static String digest(byte[] bytes) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private UploadResult upload(String name, String version, byte[] tarball) {
        return store.upload(name, version, new ByteArrayInputStream(tarball), tarball.length, null, null);
    }

    /** What a client could observe, plus the files on disk: must not change when an upload is refused. */
    private List<Object> snapshot() throws IOException {
        List<Object> state = new ArrayList<>(store.list());
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().forEach(state::add);
        }
        return state;
    }

    @AfterEach
    void noValidatorThreadOutlivesItsUpload() {
        await("validator threads gone").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).untilAsserted(() ->
                assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("stratos-store-validate")));
    }

    @AfterEach
    void tmpIsEmpty() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("tmp"))) {
            assertThat(files).as("upload temporaries").isEmpty();
        }
    }

    @Test
    void uploadListDownloadSecondVersionTagAndDelete() throws Exception {
        byte[] v1 = TestImages.image("static-httpd", "1.0.0").bytes();
        UploadResult first = upload("static-httpd", "1.0.0", v1);

        assertThat(first.created()).isTrue();
        assertThat(first.image().digest()).isEqualTo(digest(v1));
        assertThat(first.image().size()).isEqualTo(v1.length);
        assertThat(first.image().tags()).containsExactly("latest");
        assertThat(store.list()).extracting(Cartridge::name).containsExactly("static-httpd");

        ImageBlob blob = store.blob(first.image().digest());
        assertThat(digest(Files.readAllBytes(blob.path()))).isEqualTo(first.image().digest());

        byte[] v2 = TestImages.image("static-httpd", "1.1.0").bytes();
        upload("static-httpd", "1.1.0", v2);
        assertThat(store.image("static-httpd", "latest").version()).isEqualTo("1.1.0");

        Cartridge tagged = store.tag("static-httpd", "stable", "1.0.0");
        assertThat(tagged.tags()).containsEntry("stable", "1.0.0").containsEntry("latest", "1.1.0");
        assertThat(store.image("static-httpd", "stable").digest()).isEqualTo(digest(v1));

        store.delete("static-httpd", "1.0.0");
        Cartridge after = store.cartridge("static-httpd");
        assertThat(after.versions()).extracting(CartridgeImage::version).containsExactly("1.1.0");
        assertThat(after.tags()).isEqualTo(Map.of("latest", "1.1.0"));
        assertThat(Files.exists(store.blobPath(digest(v1)))).isFalse();
        assertThat(catchThrowableOfType(StratosException.class, () -> store.blob(digest(v1))).kind())
                .isEqualTo(StratosException.Kind.NOT_FOUND);
    }

    @Test
    void deletingAVersionInUseIsAConflictNamingTheSubscriptions() throws Exception {
        upload("static-httpd", "1.0.0", TestImages.image("static-httpd", "1.0.0").bytes());
        usages.add((name, version) -> version.equals("1.0.0") ? Set.of("shop", "blog") : Set.of());
        List<Object> before = snapshot();

        StratosException e = catchThrowableOfType(StratosException.class, () -> store.delete("static-httpd", "1.0.0"));

        assertThat(e.kind()).isEqualTo(StratosException.Kind.CONFLICT);
        assertThat(e.getMessage()).contains("blog, shop");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void theSameBytesAgainAreIdempotent() throws Exception {
        byte[] v1 = TestImages.image("static-httpd", "1.0.0").bytes();
        upload("static-httpd", "1.0.0", v1);
        List<Object> before = snapshot();

        UploadResult again = store.upload(null, null, new ByteArrayInputStream(v1), -1, digest(v1), null);

        assertThat(again.created()).isFalse();
        assertThat(again.image().digest()).isEqualTo(digest(v1));
        assertThat(snapshot()).isEqualTo(before);
        assertThat(store.statistics().duplicates()).isEqualTo(1);
        assertThat(store.statistics().uploads()).isEqualTo(2);
    }

    @Test
    void otherBytesForAStoredVersionAreAConflict() throws Exception {
        upload("static-httpd", "1.0.0", TestImages.image("static-httpd", "1.0.0").bytes());
        List<Object> before = snapshot();
        byte[] other = TestImages.image("static-httpd", "1.0.0").file("rootfs/extra", new byte[3]).bytes();

        StratosException e = catchThrowableOfType(StratosException.class, () -> upload("static-httpd", "1.0.0", other));

        assertThat(e.kind()).isEqualTo(StratosException.Kind.CONFLICT);
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void everyRefusedUploadLeavesTheStoreAsItWas() throws Exception {
        upload("static-httpd", "1.0.0", TestImages.image("static-httpd", "1.0.0").bytes());
        List<Object> before = snapshot();
        byte[] good = TestImages.image("static-httpd", "2.0.0").bytes();
        byte[] truncated = java.util.Arrays.copyOf(good, good.length / 2);
        byte[] traversal = TestImages.image("static-httpd", "2.0.0").file("rootfs/../x", new byte[1]).bytes();

        record Attempt(String what, Callable<UploadResult> call, StratosException.Kind kind, String field) {
        }
        for (Attempt attempt : List.of(
                new Attempt("truncated", () -> upload("static-httpd", "2.0.0", truncated), StratosException.Kind.INVALID_INPUT, null),
                new Attempt("wrong digest", () -> store.upload("static-httpd", "2.0.0", new ByteArrayInputStream(good),
                        good.length, digest(truncated), null), StratosException.Kind.INVALID_INPUT, "Digest"),
                new Attempt("traversal", () -> upload("static-httpd", "2.0.0", traversal), StratosException.Kind.INVALID_INPUT, "rootfs/../x"),
                new Attempt("URL and manifest differ", () -> upload("static-httpd", "2.0.1", good),
                        StratosException.Kind.INVALID_INPUT, "cartridge.json:version"),
                new Attempt("shorter than announced", () -> store.upload("static-httpd", "2.0.0",
                        new ByteArrayInputStream(good), good.length + 10, null, null), StratosException.Kind.INVALID_INPUT, "Content-Length"),
                new Attempt("bad name", () -> upload("Bad_Name", "2.0.0", good), StratosException.Kind.INVALID_INPUT, "name"))) {
            StratosException e = catchThrowableOfType(StratosException.class, () -> attempt.call().call());
            assertThat(e).as(attempt.what()).isNotNull();
            assertThat(e.kind()).as(attempt.what()).isEqualTo(attempt.kind());
            if (attempt.field() != null) {
                assertThat(e.field()).as(attempt.what()).isEqualTo(attempt.field());
            }
            assertThat(snapshot()).as(attempt.what()).isEqualTo(before);
        }
        assertThat(store.statistics().rejects()).isEqualTo(6);
    }

    @Test
    void aDeclaredSizeOverTheLimitIsRefusedBeforeReadingTheBody() throws Exception {
        store = open(2L * 1024 * 1024 * 1024);
        InputStream untouchable = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("the body must not be read");
            }
        };

        StratosException e = catchThrowableOfType(StratosException.class, () ->
                store.upload("static-httpd", "1.0.0", untouchable, 2L * 1024 * 1024 * 1024 + 1, null, null));

        assertThat(e.kind()).isEqualTo(StratosException.Kind.TOO_LARGE);
        assertThat(e.field()).isEqualTo("Content-Length");
        assertThat(store.list()).isEmpty();
    }

    @Test
    void aBodyPassingTheLimitIsCutOffWhileStreaming() throws Exception {
        store = open(4096);
        byte[] big = TestImages.image("static-httpd", "1.0.0").file("rootfs/noise", randomBytes(20_000)).bytes();

        StratosException e = catchThrowableOfType(StratosException.class, () ->
                store.upload("static-httpd", "1.0.0", new ByteArrayInputStream(big), -1, null, null));

        assertThat(e.kind()).isEqualTo(StratosException.Kind.TOO_LARGE);
        assertThat(store.list()).isEmpty();
    }

    @Test
    void concurrentUploadsOfTheSameVersionStoreItOnce() throws Exception {
        byte[] same = TestImages.image("static-httpd", "1.0.0").file("rootfs/noise", randomBytes(200_000)).bytes();
        List<UploadResult> results = race(8, i -> same);

        assertThat(results).filteredOn(UploadResult::created).hasSize(1);
        assertThat(results).extracting(r -> r.image().digest()).containsOnly(digest(same));
        assertThat(store.cartridge("static-httpd").versions()).hasSize(1);
        try (Stream<Path> blobs = Files.list(dir.resolve("blobs/sha256"))) {
            assertThat(blobs).hasSize(1);
        }
    }

    @Test
    void concurrentUploadsOfDifferentBytesForOneVersionLetExactlyOneWin() throws Exception {
        List<byte[]> variants = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            variants.add(TestImages.image("static-httpd", "1.0.0").file("rootfs/noise", randomBytes(100_000)).bytes());
        }
        ExecutorService pool = Executors.newFixedThreadPool(variants.size());
        CountDownLatch start = new CountDownLatch(1);
        List<Future<UploadResult>> futures = new ArrayList<>();
        for (byte[] variant : variants) {
            futures.add(pool.submit(() -> {
                start.await();
                return upload("static-httpd", "1.0.0", variant);
            }));
        }
        start.countDown();
        int won = 0;
        int conflicts = 0;
        for (Future<UploadResult> future : futures) {
            try {
                future.get();
                won++;
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(((StratosException) e.getCause()).kind()).isEqualTo(StratosException.Kind.CONFLICT);
                conflicts++;
            }
        }
        pool.shutdown();
        assertThat(won).isEqualTo(1);
        assertThat(conflicts).isEqualTo(5);
        try (Stream<Path> blobs = Files.list(dir.resolve("blobs/sha256"))) {
            assertThat(blobs).hasSize(1);
        }
    }

    @Test
    void aReopenedStoreKeepsImagesAndTags() throws Exception {
        byte[] v1 = TestImages.image("static-httpd", "1.0.0").bytes();
        upload("static-httpd", "1.0.0", v1);
        upload("static-httpd", "1.2.0", TestImages.image("static-httpd", "1.2.0").bytes());
        store.tag("static-httpd", "stable", "1.0.0");
        List<Cartridge> before = store.list();

        store = open(4L * 1024 * 1024 * 1024);

        assertThat(store.list()).isEqualTo(before);
        assertThat(store.image("static-httpd", "stable").digest()).isEqualTo(digest(v1));
    }

    @Test
    void whatACrashLeavesBehindIsInvisibleAndCleanedOnOpen() throws Exception {
        upload("static-httpd", "1.0.0", TestImages.image("static-httpd", "1.0.0").bytes());
        List<Cartridge> before = store.list();
        // A crash mid-upload (a partial temp file), after the blob move but before the index write
        // (an unreferenced blob), and during the index write (index.json.tmp).
        Files.write(dir.resolve("tmp/upload-123.part"), new byte[1000]);
        Files.write(dir.resolve("blobs/sha256/" + "ab".repeat(32)), new byte[10]);
        Files.writeString(dir.resolve("index.json.tmp"), "{\"format\":1,\"ima");

        store = open(4L * 1024 * 1024 * 1024);

        assertThat(store.list()).isEqualTo(before);
        assertThat(dir.resolve("tmp/upload-123.part")).doesNotExist();
        assertThat(dir.resolve("blobs/sha256/" + "ab".repeat(32))).doesNotExist();
        assertThat(dir.resolve("index.json.tmp")).doesNotExist();
    }

    @Test
    void anIndexEntryWhoseBlobIsGoneIsDropped() throws Exception {
        byte[] v1 = TestImages.image("static-httpd", "1.0.0").bytes();
        upload("static-httpd", "1.0.0", v1);
        byte[] v11 = TestImages.image("static-httpd", "1.1.0").bytes(); // once: gzip headers carry a time
        upload("static-httpd", "1.1.0", v11);
        Files.delete(store.blobPath(digest(v11)));

        store = open(4L * 1024 * 1024 * 1024);

        assertThat(store.cartridge("static-httpd").versions()).extracting(CartridgeImage::version).containsExactly("1.0.0");
        assertThat(store.cartridge("static-httpd").tags()).containsEntry("latest", "1.0.0");
    }

    @Test
    void unknownNamesVersionsAndTagsAreNotFound() {
        assertThat(catchThrowableOfType(StratosException.class, () -> store.cartridge("nothing")).kind())
                .isEqualTo(StratosException.Kind.NOT_FOUND);
        assertThat(catchThrowableOfType(StratosException.class, () -> store.delete("nothing", "1.0.0")).kind())
                .isEqualTo(StratosException.Kind.NOT_FOUND);
        assertThat(catchThrowableOfType(StratosException.class, () -> store.tag("nothing", "stable", "1.0.0")).kind())
                .isEqualTo(StratosException.Kind.NOT_FOUND);
        assertThat(catchThrowableOfType(StratosException.class, () -> store.blob("sha256:" + "0".repeat(64))).kind())
                .isEqualTo(StratosException.Kind.NOT_FOUND);
        assertThat(catchThrowableOfType(StratosException.class, () -> store.blob("md5:abc")).field()).isEqualTo("digest");
    }

    @Test
    void preloadUploadsImagesOnceOnFirstStart() throws Exception {
        Path preload = Files.createDirectories(dir.resolve("../preload-" + System.nanoTime()).normalize());
        Files.write(preload.resolve("static-httpd-1.0.0.tar.gz"), TestImages.image("static-httpd", "1.0.0").bytes());

        store.preload(preload);
        assertThat(store.list()).hasSize(1);
        store.delete("static-httpd", "1.0.0");
        store.preload(preload);
        assertThat(store.list()).as("not resurrected after a delete").isEmpty();
    }

    @Test
    void versionsSortSemverLike() {
        List<String> versions = new ArrayList<>(List.of("1.10.0", "1.2.0", "1.2.0-rc1", "0.9", "1.2.0+b1", "2"));
        versions.sort(Names.VERSION_ORDER);
        assertThat(versions).containsExactly("0.9", "1.2.0-rc1", "1.2.0", "1.2.0+b1", "1.10.0", "2");
    }

    private List<UploadResult> race(int threads, java.util.function.IntFunction<byte[]> bodies) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<UploadResult>> futures = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            byte[] body = bodies.apply(i);
            futures.add(pool.submit(() -> {
                start.await();
                return upload("static-httpd", "1.0.0", body);
            }));
        }
        start.countDown();
        List<UploadResult> results = new ArrayList<>();
        for (Future<UploadResult> future : futures) {
            results.add(future.get());
        }
        pool.shutdown();
        return results;
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new java.util.Random(n ^ System.nanoTime()).nextBytes(bytes);
        return bytes;
    }

    @Test
    void hostileImagesAreRefusedNamingTheEntryAndLeaveNoBlobNoTemporaryAndNoIndexEntry() throws Exception {
        upload("static-httpd", "1.0.0", TestImages.image("static-httpd", "1.0.0").bytes());
        List<Object> before = snapshot();
        record Hostile(String what, byte[] tarball, String field) {
        }
        for (Hostile h : List.of(
                new Hostile("fifo", TestImages.image("static-httpd", "2.0.0").fifo("rootfs/pipe").bytes(), "rootfs/pipe"),
                new Hostile("setuid", TestImages.image("static-httpd", "2.0.0").file("rootfs/bin/su", new byte[3], 04755).bytes(), "rootfs/bin/su"),
                new Hostile("device", TestImages.image("static-httpd", "2.0.0").device("rootfs/dev/sda").bytes(), "rootfs/dev/sda"),
                new Hostile("hardlink escape", TestImages.image("static-httpd", "2.0.0").hardlink("rootfs/shadow", "../etc/shadow").bytes(), "rootfs/shadow"),
                new Hostile("symlink escape", TestImages.image("static-httpd", "2.0.0").symlink("rootfs/root", "../../../../").bytes(), "rootfs/root"),
                new Hostile("absolute", TestImages.image("static-httpd", "2.0.0").file("/etc/cron.d/x", new byte[1]).bytes(), "/etc/cron.d/x"),
                new Hostile("huge declared size", TestImages.declaringHugeEntry("rootfs/huge", 1L << 45), "rootfs/huge"))) {
            StratosException e = catchThrowableOfType(StratosException.class, () -> upload("static-httpd", "2.0.0", h.tarball()));
            assertThat(e).as(h.what()).isNotNull();
            assertThat(e.field()).as(h.what()).isEqualTo(h.field());
            assertThat(snapshot()).as(h.what()).isEqualTo(before);
        }
    }

    @Test
    void aDecompressionBombIsRefusedWhileTheBodyStillStreamsNotAfterItWasStored() throws Exception {
        store = FileCartridgeStore.open(new StoreSettings(dir, 1L << 30, 1024 * 1024, 64 * 1024, null), () -> usages);
        List<Object> before = snapshot();
        byte[] bomb = TestImages.image("static-httpd", "1.0.0").longName(64 * 1024 * 1024).bytes();
        long trailing = 512L * 1024 * 1024;
        java.util.concurrent.atomic.AtomicLong read = new java.util.concurrent.atomic.AtomicLong();
        // the bomb, then far more body than the store should ever take once it knows
        InputStream body = new InputStream() {
            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                long at = read.get();
                if (at >= bomb.length + trailing) {
                    return -1;
                }
                int n;
                if (at < bomb.length) {
                    n = (int) Math.min(len, bomb.length - at);
                    System.arraycopy(bomb, (int) at, b, off, n);
                } else {
                    n = (int) Math.min(len, bomb.length + trailing - at);
                    java.util.Arrays.fill(b, off, off + n, (byte) 0);
                }
                read.addAndGet(n);
                return n;
            }
        };

        StratosException e = catchThrowableOfType(StratosException.class,
                () -> store.upload("static-httpd", "1.0.0", body, -1, null, null));

        assertThat(e.kind()).isEqualTo(StratosException.Kind.TOO_LARGE);
        assertThat(read.get()).as("bytes of the body taken").isLessThan(64L * 1024 * 1024);
        assertThat(snapshot()).isEqualTo(before);
    }
}
