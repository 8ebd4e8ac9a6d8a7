package io.stratos.lxc.itests.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * Writes ustar archives byte by byte, good and hostile (any name, type, mode or declared size), for
 * tests that upload cartridge images through the REST API without an archive library.
 */
public final class TarBuilder {

    public static final char FILE = '0';
    public static final char HARDLINK = '1';
    public static final char SYMLINK = '2';
    public static final char CHAR_DEVICE = '3';
    public static final char BLOCK_DEVICE = '4';
    public static final char DIRECTORY = '5';
    public static final char FIFO = '6';

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** The static-httpd shape of a cartridge image: manifest, a busybox stand-in, /bin/sh, a page. */
    public static TarBuilder cartridge(String name, String version) {
        String manifest = "{\"name\": \"" + name + "\", \"version\": \"" + version + "\", "
                + "\"start\": [\"/bin/sh\", \"-c\", \"exec /bin/busybox httpd -f -p ${PORT:-8080} -h /www\"], "
                + "\"ports\": [{\"name\": \"http\", \"port\": 8080, \"protocol\": \"tcp\"}]}";
        return new TarBuilder().file("cartridge.json", manifest.getBytes(StandardCharsets.UTF_8))
                .dir("rootfs/").dir("rootfs/bin/").file("rootfs/bin/busybox", "ELF".getBytes(StandardCharsets.US_ASCII))
                .entry("rootfs/bin/sh", SYMLINK, 0777, "busybox", 0, null).dir("rootfs/www/")
                .file("rootfs/www/index.html", "<h1>hi</h1>".getBytes(StandardCharsets.US_ASCII));
    }

    public TarBuilder file(String name, byte[] data) {
        return entry(name, FILE, 0644, "", data.length, data);
    }

    public TarBuilder dir(String name) {
        return entry(name, DIRECTORY, 0755, "", 0, null);
    }

    /**
     * One entry: its header with the given declared size, then the data (which may be shorter than
     * declared, to forge an archive), padded to 512 bytes.
     */
    public TarBuilder entry(String name, char type, int mode, String link, long declaredSize, byte[] data) {
        byte[] header = new byte[512];
        put(header, 0, 100, name);
        octal(header, 100, 8, mode);
        octal(header, 108, 8, 0);
        octal(header, 116, 8, 0);
        if (declaredSize < 077777777777L) {
            octal(header, 124, 12, declaredSize);
        } else {
            // GNU base-256 for sizes beyond 8 GiB
            header[124] = (byte) 0x80;
            for (int i = 0; i < 8; i++) {
                header[135 - i] = (byte) (declaredSize >>> (8 * i));
            }
        }
        octal(header, 136, 12, 0);
        header[156] = (byte) type;
        put(header, 157, 100, link);
        put(header, 257, 6, "ustar");
        put(header, 263, 2, "00");
        put(header, 265, 32, "root");
        put(header, 297, 32, "root");
        octal(header, 329, 8, 1);
        octal(header, 337, 8, 3);
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        octal(header, 148, 7, sum);
        header[155] = ' ';
        out.writeBytes(header);
        if (data != null) {
            out.writeBytes(data);
            int pad = (512 - data.length % 512) % 512;
            out.writeBytes(new byte[pad]);
        }
        return this;
    }

    /** The archive with its end marker. */
    public byte[] tar() {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        copy.writeBytes(out.toByteArray());
        copy.writeBytes(new byte[1024]);
        return copy.toByteArray();
    }

    public byte[] gzip() {
        return gzip(tar());
    }

    public static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zipped.toByteArray();
    }

    private static void put(byte[] header, int offset, int length, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, header, offset, Math.min(bytes.length, length));
    }

    private static void octal(byte[] header, int offset, int length, long value) {
        String digits = Long.toOctalString(value);
        String padded = "0".repeat(Math.max(0, length - 1 - digits.length())) + digits;
        put(header, offset, length - 1, padded);
    }
}
