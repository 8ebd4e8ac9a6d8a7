package io.stratos.lxc.store.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;

/** Builds cartridge image tarballs, good and bad, in memory. */
final class TestImages {

    static String manifest(String name, String version) {
        return """
                {"name": "%s", "version": "%s", "description": "busybox httpd serving a page",
                 "start": ["/bin/sh", "-c", "exec /bin/busybox httpd -f -p ${PORT:-8080} -h /www"],
                 "ports": [{"name": "http", "port": 8080, "protocol": "tcp"}],
                 "env": {"PORT": "8080"},
                 "resources": {"cpuMillis": 100, "memoryMiB": 16},
                 "health": {"http": "/"},
                 "runtimes": ["lxc", "docker"]}
                """.formatted(name, version);
    }

    private record Item(TarArchiveEntry entry, byte[] data) {
    }

    private final List<Item> items = new ArrayList<>();
    private String compression = "gzip";

    /** The static-httpd shape: manifest, busybox, /bin/sh symlink, a page. */
    static TestImages image(String name, String version) {
        return new TestImages().manifestJson(manifest(name, version))
                .dir("rootfs/").dir("rootfs/bin/")
                .file("rootfs/bin/busybox", ("ELF busybox " + name + " " + version).getBytes(StandardCharsets.UTF_8))
                .symlink("rootfs/bin/sh", "busybox")
                .dir("rootfs/www/")
                .file("rootfs/www/index.html", "<h1>hello</h1>\n".getBytes(StandardCharsets.UTF_8));
    }

    static TestImages empty() {
        return new TestImages();
    }

    TestImages manifestJson(String json) {
        return file("cartridge.json", json.getBytes(StandardCharsets.UTF_8));
    }

    TestImages withoutManifest() {
        items.removeIf(item -> item.entry().getName().equals("cartridge.json"));
        return this;
    }

    TestImages dir(String path) {
        TarArchiveEntry entry = new TarArchiveEntry(path, true);
        entry.setModTime(0);
        items.add(new Item(entry, null));
        return this;
    }

    TestImages file(String path, byte[] data) {
        TarArchiveEntry entry = new TarArchiveEntry(path, true);
        entry.setSize(data.length);
        entry.setModTime(0);
        items.add(new Item(entry, data));
        return this;
    }

    TestImages symlink(String path, String target) {
        TarArchiveEntry entry = new TarArchiveEntry(path, TarConstants.LF_SYMLINK, true);
        entry.setLinkName(target);
        items.add(new Item(entry, null));
        return this;
    }

    TestImages hardlink(String path, String target) {
        TarArchiveEntry entry = new TarArchiveEntry(path, TarConstants.LF_LINK, true);
        entry.setLinkName(target);
        items.add(new Item(entry, null));
        return this;
    }

    TestImages device(String path) {
        TarArchiveEntry entry = new TarArchiveEntry(path, TarConstants.LF_CHR, true);
        entry.setDevMajor(1);
        entry.setDevMinor(3);
        items.add(new Item(entry, null));
        return this;
    }

    TestImages file(String path, byte[] data, int mode) {
        TarArchiveEntry entry = new TarArchiveEntry(path, true);
        entry.setSize(data.length);
        entry.setMode(mode);
        entry.setModTime(0);
        items.add(new Item(entry, data));
        return this;
    }

    TestImages dirWithMode(String path, int mode) {
        TarArchiveEntry entry = new TarArchiveEntry(path, true);
        entry.setMode(040000 | mode);
        entry.setModTime(0);
        items.add(new Item(entry, null));
        return this;
    }

    TestImages fifo(String path) {
        items.add(new Item(new TarArchiveEntry(path, TarConstants.LF_FIFO, true), null));
        return this;
    }

    /** A GNU long-name header ('L') carrying {@code size} zero bytes as the next entry's name. */
    TestImages longName(int size) {
        TarArchiveEntry entry = new TarArchiveEntry("././@LongLink", TarConstants.LF_GNUTYPE_LONGNAME, true);
        entry.setSize(size);
        items.add(new Item(entry, new byte[size]));
        return file("rootfs/x", new byte[1]);
    }

    TestImages compression(String compression) {
        this.compression = compression;
        return this;
    }

    byte[] bytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream compressed = switch (compression) {
            case "gzip" -> new GzipCompressorOutputStream(bytes);
            case "zstd" -> new ZstdCompressorOutputStream(bytes);
            default -> bytes;
        }; TarArchiveOutputStream tar = new TarArchiveOutputStream(compressed)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Item item : items) {
                tar.putArchiveEntry(item.entry());
                if (item.data() != null) {
                    tar.write(item.data());
                }
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A plain tar whose one entry announces {@code size} bytes but carries only a few. */
    static byte[] declaringHugeEntry(String path, long size) {
        TarArchiveEntry entry = new TarArchiveEntry(path, true);
        entry.setSize(size);
        byte[] header = new byte[512];
        try {
            // star mode: sizes over 8 GiB in base-256, as GNU tar writes them
            entry.writeEntryHeader(header, org.apache.commons.compress.archivers.zip.ZipEncodingHelper.getZipEncoding("UTF-8"), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] tar = new byte[512 + 1024];
        System.arraycopy(header, 0, tar, 0, 512);
        return tar;
    }
}
