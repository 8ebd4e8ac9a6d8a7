package io.stratos.lxc.store.internal;

import io.stratos.lxc.api.StratosException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validates an upload while it arrives: the receiving thread hands each block it wrote to the
 * upload file to this pipe, and a second thread reads the blocks as the tarball, so hashing and
 * writing on one core overlap decompressing and checking on the other, and the file is not read a
 * second time. At most {@code QUEUE} blocks wait in memory; a validator that is done (the tar
 * ended, or it found a fault) takes no more, and the rest are dropped.
 */
final class ValidatingPipe implements AutoCloseable {

    private static final int QUEUE = 16;
    private static final byte[] END = new byte[0];
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final BlockingQueue<byte[]> blocks = new ArrayBlockingQueue<>(QUEUE);
    private final CompletableFuture<ImageValidator.Result> result = new CompletableFuture<>();
    private volatile boolean done;
    private boolean closed;

    ValidatingPipe(ImageValidator validator, byte[] manifestJson) {
        Thread thread = new Thread(() -> {
            try (InputStream in = new BufferedInputStream(new BlockStream(), 1 << 16)) {
                result.complete(validator.validate(in, manifestJson));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            } finally {
                done = true;
                blocks.clear();
            }
        }, "stratos-store-validate-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
    }

    /** Hands over a copy of the block; waits while the validator is behind, drops it once the validator is done. */
    void offer(byte[] buffer, int length) {
        byte[] block = Arrays.copyOf(buffer, length);
        try {
            while (!done && !blocks.offer(block, 50, TimeUnit.MILLISECONDS)) {
                // the validator is behind: wait for room
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StratosException.unavailable("the upload was interrupted", null);
        }
    }

    /** Marks the end of the body (also after a failed receive, so that the validator ends). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            while (!done && !blocks.offer(END, 50, TimeUnit.MILLISECONDS)) {
                // wait for room for the end marker
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The validator's refusal once it has one that the rest of the body cannot change (not merely "unreadable",
     * which a cut or damaged body explains, and which the size and digest checks report better); else null.
     */
    StratosException definiteRefusal() {
        if (!result.isCompletedExceptionally()) {
            return null;
        }
        try {
            result.getNow(null);
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof StratosException refusal && !ImageValidator.unreadable(refusal)) {
                return refusal;
            }
        }
        return null;
    }

    /** The validator's verdict on the whole body; call after {@link #close()}. */
    ImageValidator.Result result() {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StratosException.unavailable("the upload was interrupted", null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StratosException stratos) {
                throw stratos;
            }
            throw StratosException.invalid("image", "the image cannot be read: " + cause, null);
        }
    }

    /** The blocks as one stream; ends at the end marker. */
    private final class BlockStream extends InputStream {

        private byte[] current = new byte[0];
        private int position;
        private boolean ended;

        private boolean fill() throws IOException {
            while (!ended && position >= current.length) {
                try {
                    current = blocks.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
                position = 0;
                if (current == END) {
                    ended = true;
                }
            }
            return !ended;
        }

        @Override
        public int read() throws IOException {
            return fill() ? current[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(length, current.length - position);
            System.arraycopy(current, position, target, offset, n);
            position += n;
            return n;
        }
    }
}
