package io.stratos.lxc.agent.internal.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.agent.internal.TestImages;
import io.stratos.lxc.agent.exec.Exec;
import io.stratos.lxc.api.StratosException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageCacheTest {

    @TempDir
    Path tmp;
    TestImages.Store store;
    Path tarball;
    String digest;

    @BeforeEach
    void image() throws Exception {
        store = new TestImages.Store();
        tarball = TestImages.tarball(TestImages.busyboxImage(tmp.resolve("src"), "v1"), tmp.resolve("image.tar"));
        digest = TestImages.sha256(tarball);
        store.images.put(digest, tarball);
    }

    @AfterEach
    void stop() {
        store.close();
    }

    private ImageCache cache(long maxBytes) {
        return new ImageCache(tmp.resolve("images"), tmp.resolve("downloads"), maxBytes, ImageCache.defaultHttpClient(), new Exec());
    }

    private List<String> entries(Path dir) throws Exception {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void fetchesVerifiesAndUnpacksOnceThenReuses() {
        ImageCache cache = cache(1L << 30);

        CachedImage first = cache.acquire(digest, store.url(digest));
        CachedImage second = cache.acquire(digest, store.url(digest));

        assertThat(first.dir()).isEqualTo(tmp.resolve("images").resolve(first.hex()));
        assertThat(first.rootfs().resolve("bin/busybox")).isRegularFile();
        assertThat(first.manifest()).isRegularFile();
        assertThat(second.dir()).isEqualTo(first.dir());
        assertThat(store.requests.get()).isEqualTo(1);
        assertThat(cache.users(digest)).isEqualTo(2);
        assertThat(first.sizeBytes()).isGreaterThan(500_000);
    }

    @Test
    void concurrentStartsOfOneImageFetchItOnce() throws Exception {
        ImageCache cache = cache(1L << 30);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<CachedImage>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(pool.submit(() -> cache.acquire(digest, store.url(digest))));
            }
            for (Future<CachedImage> future : futures) {
                assertThat(future.get().rootfs()).isDirectory();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.requests.get()).isEqualTo(1);
        assertThat(cache.fetches()).isEqualTo(1);
        assertThat(cache.users(digest)).isEqualTo(8);
    }

    @Test
    void aDigestMismatchIsRefusedAndLeavesTheCacheUnchanged() throws Exception {
        ImageCache cache = cache(1L << 30);
        String wrong = "sha256:" + "0".repeat(64);
        store.images.put(wrong, tarball);

        assertThatThrownBy(() -> cache.acquire(wrong, store.url(wrong)))
                .isInstanceOfSatisfying(StratosException.class, e -> assertThat(e.kind()).isEqualTo(StratosException.Kind.INVALID_INPUT))
                .hasMessageContaining("expected " + wrong).hasMessageContaining("refused");

        assertThat(entries(tmp.resolve("images"))).isEmpty();
        assertThat(entries(tmp.resolve("downloads"))).isEmpty();
        assertThat(cache.lookup(wrong)).isEmpty();
    }

    @Test
    void aBrokenDownloadResumesWithRange() throws Exception {
        ImageCache cache = cache(1L << 30);
        store.breakAfter = 300_000;

        assertThatThrownBy(() -> cache.acquire(digest, store.url(digest))).isInstanceOf(StratosException.class)
                .hasMessageContaining("resumes");
        assertThat(entries(tmp.resolve("images"))).isEmpty();
        long partial = Files.size(tmp.resolve("downloads").resolve(digest.substring(7) + ".tar"));
        assertThat(partial).isPositive().isLessThan(Files.size(tarball));

        CachedImage image = cache.acquire(digest, store.url(digest));

        assertThat(store.ranges).containsExactly("bytes=" + partial + "-");
        assertThat(image.rootfs().resolve("www/index.html")).hasContent("v1");
        assertThat(entries(tmp.resolve("downloads"))).isEmpty();
    }

    @Test
    void aTarballWithoutRootfsIsRefusedWithoutAHalfImage() throws Exception {
        Path bad = tmp.resolve("bad");
        Files.createDirectories(bad);
        Files.writeString(bad.resolve("cartridge.json"), "{}");
        Path badTar = tmp.resolve("bad.tar");
        new ProcessBuilder("tar", "-C", bad.toString(), "-cf", badTar.toString(), "cartridge.json").start().waitFor();
        String badDigest = TestImages.sha256(badTar);
        store.images.put(badDigest, badTar);
        ImageCache cache = cache(1L << 30);

        assertThatThrownBy(() -> cache.acquire(badDigest, store.url(badDigest))).isInstanceOf(StratosException.class)
                .hasMessageContaining("rootfs");
        assertThat(entries(tmp.resolve("images"))).isEmpty();
    }

    @Test
    void evictsUnusedImagesLeastRecentlyUsedFirstBeyondTheLimit() throws Exception {
        Path tar2 = TestImages.tarball(TestImages.busyboxImage(tmp.resolve("src2"), "v2"), tmp.resolve("image2.tar"));
        String digest2 = TestImages.sha256(tar2);
        store.images.put(digest2, tar2);
        Path tar3 = TestImages.tarball(TestImages.busyboxImage(tmp.resolve("src3"), "v3-longer"), tmp.resolve("image3.tar"));
        String digest3 = TestImages.sha256(tar3);
        store.images.put(digest3, tar3);
        long one = Files.size(tmp.resolve("src/rootfs/bin/busybox")) + 1000;
        ImageCache cache = cache(2 * one + one / 2); // room for two images

        cache.acquire(digest, store.url(digest));
        cache.acquire(digest2, store.url(digest2));
        cache.release(digest);       // unused, least recently used
        cache.release(digest2);      // unused, more recent
        cache.acquire(digest3, store.url(digest3));

        assertThat(cache.lookup(digest)).isEmpty();
        assertThat(cache.lookup(digest2)).isPresent();
        assertThat(cache.lookup(digest3)).isPresent();
        assertThat(cache.totalBytes()).isLessThanOrEqualTo(2 * one + one / 2);
    }

    @Test
    void imagesInUseAreNeverEvicted() throws Exception {
        ImageCache cache = cache(1); // far too small

        CachedImage image = cache.acquire(digest, store.url(digest));

        assertThat(image.rootfs()).isDirectory();
        cache.release(digest);
        assertThat(cache.lookup(digest)).isEmpty();
    }

    @Test
    void anUnknownImageIsNotFound() {
        ImageCache cache = cache(1L << 30);
        String missing = "sha256:" + "1".repeat(64);

        assertThatThrownBy(() -> cache.acquire(missing, store.url(missing)))
                .isInstanceOfSatisfying(StratosException.class, e -> assertThat(e.kind()).isEqualTo(StratosException.Kind.NOT_FOUND));
    }

    @Test
    void imageUrlsFollowTheAgentProtocol() {
        assertThat(ImageCache.imageUrl("http://127.0.0.1:8181/stratos/", digest).toString())
                .isEqualTo("http://127.0.0.1:8181/stratos/api/v1/images/" + digest);
    }
}
