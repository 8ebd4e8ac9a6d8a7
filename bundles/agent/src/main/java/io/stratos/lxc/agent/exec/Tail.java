package io.stratos.lxc.agent.exec;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The last lines of a file or of a byte stream, without reading a large log whole. */
public final class Tail {

    private static final int CHUNK = 8192;

    private Tail() {
    }

    /** The last {@code count} lines of the file, oldest first; empty when it does not exist. */
    public static List<String> lines(Path file, int count) throws IOException {
        if (count < 1 || !Files.isRegularFile(file)) {
            return List.of();
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long end = in.length();
            long start = end;
            int newlines = 0;
            byte[] buffer = new byte[CHUNK];
            // Walk back to the line end before the count-th last line (a final newline ends the last line, starts none).
            while (start > 0 && newlines < count) {
                int size = (int) Math.min(CHUNK, start);
                start -= size;
                in.seek(start);
                in.readFully(buffer, 0, size);
                for (int i = size - 1; i >= 0; i--) {
                    if (buffer[i] == '\n' && start + i != end - 1) {
                        newlines++;
                        if (newlines == count) {
                            start = start + i + 1;
                            break;
                        }
                    }
                }
            }
            byte[] tail = new byte[(int) (end - start)];
            in.seek(start);
            in.readFully(tail);
            return last(split(tail), count);
        }
    }

    /** Splits bytes into lines ({@code \n}, a {@code \r} before it dropped); a final partial line counts. */
    public static List<String> split(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\r?\n", -1)));
        if (lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    public static List<String> last(List<String> lines, int count) {
        return List.copyOf(lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }
}
