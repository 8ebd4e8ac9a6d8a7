package io.stratos.lxc.router.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Writes access log lines on a thread of its own, so that the event loops never wait for the log's file or its lock:
 * profiled under wrk (JFR), the event loops blocked on log4j's rolling-file lock and its write per line. The lines
 * waiting are handed to the log as one message per batch (one lock and one write for many lines); the log's pattern
 * ends each message with a line break, and the lines in between are joined by one.
 * <p>
 * Log4j's own asynchronous loggers would do this, but they need the LMAX Disruptor in the logging service's
 * class path and a choice made for every logger of the container, not for the router's alone.
 * <p>
 * When the queue is full (the disk cannot keep up), a line is written on the caller's thread: a slow disk slows
 * the router rather than losing lines (such a line may come before lines its thread queued earlier).
 */
final class AccessLogWriter implements AutoCloseable {

    private static final int CAPACITY = 16_384;
    private static final int MAX_BATCH = 512;

    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Consumer<String> out;
    private final Thread thread;
    private volatile boolean closed;

    AccessLogWriter(Consumer<String> out) {
        this.out = out;
        this.thread = new Thread(this::run, "stratos-router-access-log");
        thread.setDaemon(true);
        thread.start();
    }

    void write(String line) {
        if (closed || !queue.offer(line)) {
            out.accept(line); // the log is safe to call from any thread
        }
    }

    private void run() {
        List<String> batch = new ArrayList<>(MAX_BATCH);
        StringBuilder text = new StringBuilder(256 * MAX_BATCH);
        while (!closed || !queue.isEmpty()) {
            try {
                String first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
            } catch (InterruptedException e) {
                // closing: what is queued is still written below
            }
            queue.drainTo(batch, MAX_BATCH - batch.size());
            flush(batch, text);
        }
    }

    private void flush(List<String> batch, StringBuilder text) {
        if (batch.isEmpty()) {
            return;
        }
        text.setLength(0);
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                text.append('\n');
            }
            text.append(batch.get(i));
        }
        batch.clear();
        out.accept(text.toString());
    }

    /** Writes what is queued and stops the thread. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
