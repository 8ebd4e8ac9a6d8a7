package io.stratos.lxc.rest.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Small static-httpd-shaped images for the HTTP tests. */
final class Tarballs {

    private Tarballs() {
    }

    static String manifest(String name, String version) {
        return """
                {"name": "%s", "version": "%s",
                 "start": ["/bin/sh", "-c", "exec /bin/busybox httpd -f -p ${PORT:-8080} -h /www"],
                 "ports": [{"name": "http", "port": 8080}], "health": {"http": "/"}, "runtimes": ["lxc", "docker"]}
                """.formatted(name, version);
    }

    static byte[] image(String name, String version, boolean withManifest, String extraEntry, int padding) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            if (withManifest) {
                file(tar, "cartridge.json", manifest(name, version).getBytes(StandardCharsets.UTF_8));
            }
            file(tar, "rootfs/bin/busybox", new byte[4096 + padding]);
            TarArchiveEntry sh = new TarArchiveEntry("rootfs/bin/sh", TarConstants.LF_SYMLINK);
            sh.setLinkName("busybox");
            tar.putArchiveEntry(sh);
            tar.closeArchiveEntry();
            file(tar, "rootfs/www/index.html", ("<h1>" + name + " " + version + "</h1>").getBytes(StandardCharsets.UTF_8));
            if (extraEntry != null) {
                file(tar, extraEntry, new byte[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] data) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        entry.setSize(data.length);
        tar.putArchiveEntry(entry);
        tar.write(data);
        tar.closeArchiveEntry();
    }
}
