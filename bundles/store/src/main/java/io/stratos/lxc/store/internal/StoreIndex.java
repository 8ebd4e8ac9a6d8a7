package io.stratos.lxc.store.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.stratos.lxc.api.store.CartridgeManifest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * The store's metadata, one JSON file {@code index.json} replaced atomically (temp file, fsync,
 * rename, fsync of the directory): after a crash it is either the old or the new index.
 */
final class StoreIndex {

    static final int FORMAT = 1;
    static final String FILE = "index.json";

    /** One stored version. */
    record Entry(String name, String version, String digest, long size, String uploadedAt, CartridgeManifest manifest) {
    }

    /** The whole index: versions, and per cartridge its tags (tag to version). */
    record Content(int format, List<Entry> images, Map<String, Map<String, String>> tags) {
        Content {
            images = images == null ? List.of() : List.copyOf(images);
            tags = tags == null ? Map.of() : tags;
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private StoreIndex() {
    }

    static Content load(Path directory) throws IOException {
        Path file = directory.resolve(FILE);
        if (!Files.exists(file)) {
            return new Content(FORMAT, List.of(), Map.of());
        }
        Content content = MAPPER.readValue(file.toFile(), Content.class);
        if (content.format() != FORMAT) {
            throw new IOException("index " + file + " has format " + content.format() + ", this store reads " + FORMAT);
        }
        return content;
    }

    static void save(Path directory, Content content) throws IOException {
        Path file = directory.resolve(FILE);
        Path temp = directory.resolve(FILE + ".tmp");
        byte[] bytes = MAPPER.writeValueAsBytes(content);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDirectory(directory);
    }

    static void fsyncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems refuse to sync a directory; the rename is still atomic.
        }
    }
}
