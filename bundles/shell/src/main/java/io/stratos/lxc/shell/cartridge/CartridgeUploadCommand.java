package io.stratos.lxc.shell.cartridge;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.store.CartridgeImage;
import io.stratos.lxc.api.store.CartridgeStore;
import io.stratos.lxc.api.store.UploadResult;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;

@Command(scope = "stratos", name = "cartridge-upload",
        description = "Uploads a cartridge image tarball (tar, tar.gz or tar.zst with cartridge.json and rootfs/) from a file or URL.")
@Service
public class CartridgeUploadCommand implements Action {

    @Reference
    CartridgeStore store;

    @Argument(index = 0, name = "file|url", description = "A file path, or an http(s)/file URL", required = true)
    @Completion(FileCompleter.class)
    String source;

    @Option(name = "--digest", description = "The sha256:<hex> digest the image must have")
    String digest;

    @Option(name = "--quiet", aliases = "-q", description = "No progress output")
    boolean quiet;

    @Override
    public Object execute() throws Exception {
        long size;
        InputStream in;
        if (source.matches("(?i)(https?|file|ftp)://.*")) {
            URLConnection connection = URI.create(source).toURL().openConnection();
            connection.setConnectTimeout(10_000);
            connection.setReadTimeout(60_000);
            in = connection.getInputStream();
            size = connection.getContentLengthLong();
        } else {
            Path file = Path.of(source).toAbsolutePath();
            try {
                size = Files.size(file);
                in = Files.newInputStream(file);
            } catch (NoSuchFileException e) {
                throw StratosException.invalid("file", "no file " + file, "give the path of an image tarball");
            }
        }
        Progress progress = new Progress(in, size, quiet ? null : System.out);
        UploadResult result;
        try (InputStream body = progress) {
            result = store.upload(null, null, body, size, digest, null);
        } finally {
            progress.done();
        }
        CartridgeImage image = result.image();
        System.out.println((result.created() ? "Stored" : "Already stored") + " cartridge " + image.name() + " "
                + image.version() + " " + image.digest() + " (" + Sizes.human(image.size()) + ")");
        return null;
    }

    /** Counts bytes and prints a progress line at most every half second, for bodies over 1 MiB. */
    static final class Progress extends FilterInputStream {

        private final long size;
        private final PrintStream out;
        private final long started = System.nanoTime();
        private long count;
        private long lastPrint;
        private boolean printed;

        Progress(InputStream in, long size, PrintStream out) {
            super(in);
            this.size = size;
            this.out = out;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                advance(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                advance(n);
            }
            return n;
        }

        private void advance(long n) {
            count += n;
            long now = System.nanoTime();
            if (out != null && count > (1 << 20) && now - lastPrint > 500_000_000L) {
                lastPrint = now;
                print(now);
            }
        }

        private void print(long now) {
            double seconds = Math.max(1e-3, (now - started) / 1e9);
            String rate = Sizes.human((long) (count / seconds)) + "/s";
            String line = size > 0
                    ? String.format(Locale.ROOT, "\r%3d%%  %s of %s  %s   ", count * 100 / size, Sizes.human(count), Sizes.human(size), rate)
                    : String.format(Locale.ROOT, "\r%s  %s   ", Sizes.human(count), rate);
            out.print(line);
            out.flush();
            printed = true;
        }

        void done() {
            if (printed) {
                print(System.nanoTime());
                out.println();
            }
        }
    }
}
