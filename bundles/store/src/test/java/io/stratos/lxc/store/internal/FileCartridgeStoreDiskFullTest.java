package io.stratos.lxc.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.store.UploadResult;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store's disk fills up during an upload (a real, tiny tmpfs): the upload is refused with a message that
 * says so, nothing half-written stays (no temporary, no blob, no index entry), what was stored is intact, and
 * the store takes uploads again once there is room.
 */
class FileCartridgeStoreDiskFullTest {

    private Path dir;
    private boolean mounted;

    @BeforeEach
    void mountTinyDisk() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "not root: cannot mount a tmpfs for the disk-full test");
        dir = Files.createTempDirectory("stratos-store-full");
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir.toString()).redirectErrorStream(true).start();
        mounted = mount.waitFor() == 0;
        assumeTrue(mounted, "cannot mount a tmpfs here: " + new String(mount.getInputStream().readAllBytes()));
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            new ProcessBuilder("umount", dir.toString()).inheritIO().start().waitFor();
        }
        if (dir != null) {
            Files.deleteIfExists(dir);
        }
    }

    private List<String> files() throws Exception {
        List<String> names = new ArrayList<>();
        try (Stream<Path> all = Files.walk(dir)) {
            all.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().forEach(names::add);
        }
        return names;
    }

    @Test
    void aFullDiskRefusesTheUploadLeavesNothingBehindAndKeepsWhatWasStored() throws Exception {
        FileCartridgeStore store = FileCartridgeStore.open(new StoreSettings(dir, 64L << 20, 256L << 20, 64 * 1024, null), List::of);
        byte[] small = TestImages.image("static-httpd", "1.0.0").bytes();
        store.upload("static-httpd", "1.0.0", new ByteArrayInputStream(small), small.length, null, null);
        List<String> before = files();
        var listed = store.list();

        byte[] noise = new byte[2 << 20];
        new Random(7).nextBytes(noise); // incompressible: 2 MiB do not fit in the 1 MiB disk
        byte[] big = TestImages.image("static-httpd", "2.0.0").file("rootfs/www/noise.bin", noise).bytes();
        StratosException full = catchThrowableOfType(StratosException.class, () ->
                store.upload("static-httpd", "2.0.0", new ByteArrayInputStream(big), big.length, null, null));

        assertThat(full).isNotNull();
        assertThat(full.kind()).isEqualTo(StratosException.Kind.UNAVAILABLE);
        assertThat(full.getMessage() + " " + full.hint()).containsIgnoringCase("space");
        assertThat(files()).isEqualTo(before);
        assertThat(store.list()).isEqualTo(listed);
        assertThat(Files.readAllBytes(store.blob(listed.get(0).versions().get(0).digest()).path())).isEqualTo(small);

        // room again: the next upload goes through
        byte[] next = TestImages.image("static-httpd", "1.0.1").bytes();
        UploadResult stored = store.upload("static-httpd", "1.0.1", new ByteArrayInputStream(next), next.length, null, null);
        assertThat(stored.created()).isTrue();
    }
}
