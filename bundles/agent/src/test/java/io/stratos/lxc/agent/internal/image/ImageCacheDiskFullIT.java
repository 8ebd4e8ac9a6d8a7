package io.stratos.lxc.agent.internal.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stratos.lxc.agent.internal.TestImages;
import io.stratos.lxc.agent.exec.Exec;
import io.stratos.lxc.api.StratosException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image cache on a 1 MiB tmpfs: a 2 MiB image cannot be unpacked, and no half image is left. Needs root (mount). */
class ImageCacheDiskFullIT {

    @TempDir
    Path tmp;

    @Test
    void aFullDiskDuringUnpackLeavesNoHalfImage() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "not root: cannot mount a small tmpfs to fill up");
        Path images = Files.createDirectories(tmp.resolve("images"));
        Exec exec = new Exec();
        Exec.Result mounted = exec.run(10_000, "mount", "-t", "tmpfs", "-o", "size=1m", "stratos-test-tmpfs", images.toString());
        assumeTrue(mounted.ok(), "cannot mount a tmpfs here: " + mounted.output());
        try (TestImages.Store store = new TestImages.Store()) {
            Path tarball = TestImages.tarball(TestImages.busyboxImage(tmp.resolve("src"), "full"), tmp.resolve("image.tar"));
            String digest = TestImages.sha256(tarball);
            store.images.put(digest, tarball);
            ImageCache cache = new ImageCache(images, tmp.resolve("downloads"), 1L << 30, ImageCache.defaultHttpClient(), exec);

            assertThatThrownBy(() -> cache.acquire(digest, store.url(digest)))
                    .isInstanceOfSatisfying(StratosException.class, e -> assertThat(e.kind()).isEqualTo(StratosException.Kind.UNAVAILABLE))
                    .hasMessageContaining("no space left");

            try (Stream<Path> left = Files.list(images)) {
                assertThat(left).isEmpty();
            }
            assertThat(cache.lookup(digest)).isEmpty();
        } finally {
            exec.run(10_000, "umount", images.toString());
        }
    }
}
