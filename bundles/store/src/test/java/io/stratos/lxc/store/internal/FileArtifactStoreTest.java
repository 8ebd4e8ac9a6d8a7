package io.stratos.lxc.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.artifact.StoredArtifact;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileArtifactStoreTest {

    @TempDir
    Path dir;
    FileArtifactStore store;

    @BeforeEach
    void open() throws IOException {
        store = new FileArtifactStore(dir, 64 * 1024, 256 * 1024, 1000);
    }

    private static byte[] app(String page) {
        return TestImages.empty().dir("./").file("./index.php", page.getBytes(StandardCharsets.UTF_8))
                .dir("./lib/").file("./lib/run.sh", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8), 0100755)
                .symlink("./home.php", "index.php").compression("none").bytes();
    }

    private Map<String, TarArchiveEntry> entries(StoredArtifact artifact) throws IOException {
        Map<String, TarArchiveEntry> all = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(store.open(artifact.digest()).orElseThrow().path());
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                all.put(e.getName(), e);
            }
        }
        return all;
    }

    @Test
    void storesATarAsANormalisedTarballUnderApp() throws IOException {
        StoredArtifact stored = store.put(new ByteArrayInputStream(app("<?php echo 1;")));

        assertThat(stored.digest()).matches("sha256:[0-9a-f]{64}");
        assertThat(stored.files()).isEqualTo(2);
        Map<String, TarArchiveEntry> entries = entries(stored);
        assertThat(entries).containsOnlyKeys("app/", "app/index.php", "app/lib/", "app/lib/run.sh", "app/home.php");
        assertThat(entries.get("app/lib/run.sh").getMode() & 0777).isEqualTo(0755);
        assertThat(entries.get("app/home.php").getLinkName()).isEqualTo("index.php");
        assertThat(entries.get("app/index.php").getModTime().getTime()).isZero();
        assertThat(store.open(stored.digest()).orElseThrow().size()).isEqualTo(stored.size());
    }

    @Test
    void theSameContentHasTheSameDigestWhateverTheCompression() throws IOException {
        StoredArtifact plain = store.put(new ByteArrayInputStream(app("<?php echo 1;")));
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(app("<?php echo 1;"));
        }
        StoredArtifact gzipped = store.put(new ByteArrayInputStream(gz.toByteArray()));
        StoredArtifact other = store.put(new ByteArrayInputStream(app("<?php echo 2;")));

        assertThat(gzipped.digest()).isEqualTo(plain.digest());
        assertThat(other.digest()).isNotEqualTo(plain.digest());
        try (var files = Files.list(dir.resolve("sha256"))) {
            assertThat(files.count()).isEqualTo(2);
        }
    }

    @Test
    void acceptsAZipWithoutDeclaredSizes() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            zip.putArchiveEntry(new ZipArchiveEntry("WEB-INF/"));
            zip.closeArchiveEntry();
            zip.putArchiveEntry(new ZipArchiveEntry("index.jsp"));
            zip.write("<%= 1 %>".getBytes(StandardCharsets.UTF_8));
            zip.closeArchiveEntry();
        }

        StoredArtifact stored = store.put(new ByteArrayInputStream(bytes.toByteArray()));

        assertThat(entries(stored)).containsKeys("app/WEB-INF/", "app/index.jsp");
        assertThat(entries(stored).get("app/index.jsp").getSize()).isEqualTo(8);
    }

    private void assertRefused(byte[] artifact, String field, String message) {
        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(artifact)))
                .isInstanceOfSatisfying(StratosException.class, e -> {
                    assertThat(e.kind()).isEqualTo(StratosException.Kind.INVALID_INPUT);
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).contains(message);
                });
        assertThat(dir.resolve("sha256")).isEmptyDirectory();
        assertThat(dir.resolve("tmp")).isEmptyDirectory();
    }

    @Test
    void refusesWhatCouldReachOutsideTheApplicationDirectory() {
        byte[] page = "x".getBytes(StandardCharsets.UTF_8);
        assertRefused(TestImages.empty().file("../etc/passwd", page).bytes(), "../etc/passwd", "contains '..'");
        assertRefused(TestImages.empty().file("/etc/passwd", page).bytes(), "/etc/passwd", "absolute path");
        assertRefused(TestImages.empty().file("a", page).symlink("up", "../../etc").bytes(), "up", "outside the application directory");
        assertRefused(TestImages.empty().file("a", page).symlink("abs", "/etc/shadow").bytes(), "abs", "outside the application directory");
        assertRefused(TestImages.empty().symlink("d", "sub").file("d/x", page).bytes(), "d/x", "below the symbolic link d");
        assertRefused(TestImages.empty().file("a", page).hardlink("b", "a").bytes(), "b", "hard links");
        assertRefused(TestImages.empty().file("a", page).device("null").bytes(), "null", "devices");
        assertRefused(TestImages.empty().file("a", page).fifo("f").bytes(), "f", "fifos");
        assertRefused(TestImages.empty().file("s", page, 0104755).bytes(), "s", "setuid");
    }

    @Test
    void aLinkMayPointAnywhereInside() throws IOException {
        byte[] artifact = TestImages.empty().dir("a/").dir("a/b/").file("a/x", new byte[1]).symlink("a/b/l", "../x").bytes();

        assertThat(entries(store.put(new ByteArrayInputStream(artifact)))).containsKey("app/a/b/l");
    }

    @Test
    void refusesEmptyUnreadableAndOversizedArtifacts() {
        assertRefused(new byte[0], "artifact", "empty");
        assertRefused("hello, not an archive at all, but long enough to be read".repeat(20).getBytes(StandardCharsets.UTF_8),
                "artifact", "not a readable tar, tar.gz or zip");
        assertRefused(TestImages.empty().dir("only/").bytes(), "artifact", "no files");

        byte[] big = TestImages.empty().file("big", new byte[100 * 1024]).compression("none").bytes();
        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(big)))
                .isInstanceOfSatisfying(StratosException.class, e -> assertThat(e.kind()).isEqualTo(StratosException.Kind.TOO_LARGE));
        assertThat(dir.resolve("tmp")).isEmptyDirectory();
    }

    @Test
    void aTruncatedOrCorruptArchiveIsTheSendersErrorNotTheStores() throws IOException {
        byte[] tar = TestImages.empty().file("index.php", new byte[5000]).compression("none").bytes();
        assertRefused(java.util.Arrays.copyOf(tar, 1024 + 512), "artifact", "not a readable tar, tar.gz or zip");
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(tar);
        }
        byte[] gzip = gz.toByteArray();
        assertRefused(java.util.Arrays.copyOf(gzip, gzip.length / 2), "artifact", "not a readable tar, tar.gz or zip");
        assertRefused(java.util.Arrays.copyOf(gzip, 6), "artifact", "not a readable tar, tar.gz or zip");
    }

    @Test
    void refusesADecompressionBomb() throws IOException {
        byte[] gz = TestImages.empty().file("zeros", new byte[1024 * 1024]).bytes(); // gzip
        assertThat(gz.length).isLessThan(64 * 1024);

        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(gz)))
                .isInstanceOfSatisfying(StratosException.class, e -> {
                    assertThat(e.kind()).isEqualTo(StratosException.Kind.TOO_LARGE);
                    assertThat(e.getMessage()).contains("unpacks to more than");
                });
        assertThat(dir.resolve("tmp")).isEmptyDirectory();
    }

    @Test
    void opensOnlyWellFormedDigests() {
        assertThat(store.open("sha256:" + "0".repeat(64))).isEmpty();
        assertThatThrownBy(() -> store.open("sha256:../../etc/passwd")).isInstanceOf(StratosException.class);
    }

    @Test
    void garbageCollectionDeletesOnlyOldArtifactsNobodyKeeps() throws IOException {
        StoredArtifact kept = store.put(new ByteArrayInputStream(app("kept")));
        StoredArtifact dropped = store.put(new ByteArrayInputStream(app("dropped")));
        StoredArtifact young = store.put(new ByteArrayInputStream(app("young")));
        for (StoredArtifact old : java.util.List.of(kept, dropped)) {
            Files.setLastModifiedTime(store.open(old.digest()).orElseThrow().path(),
                    java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 7_200_000));
        }

        assertThat(store.retainOnly(java.util.Set.of(kept.digest()), java.time.Duration.ofHours(1))).isEqualTo(1);

        assertThat(store.open(kept.digest())).isPresent();
        assertThat(store.open(dropped.digest())).isEmpty();
        assertThat(store.open(young.digest())).as("uploaded a moment ago, maybe not in a history yet").isPresent();
    }
}
