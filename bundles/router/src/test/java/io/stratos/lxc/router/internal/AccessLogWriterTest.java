package io.stratos.lxc.router.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AccessLogWriterTest {

    /** What the log got, split back into lines: each message ends with one line break, as the log's pattern adds. */
    private static List<String> lines(List<String> messages) {
        List<String> lines = new ArrayList<>();
        for (String message : messages) {
            Collections.addAll(lines, message.split("\n", -1));
        }
        return lines;
    }

    @Test
    void linesFromManyThreadsReachTheLogInTheirOrderPerThreadAndOffTheirThreads() throws Exception {
        List<String> messages = Collections.synchronizedList(new ArrayList<>());
        List<String> writers = Collections.synchronizedList(new ArrayList<>());
        AccessLogWriter writer = new AccessLogWriter(message -> {
            messages.add(message);
            writers.add(Thread.currentThread().getName());
        });
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            threads.add(new Thread(() -> {
                for (int i = 0; i < 2_000; i++) {
                    writer.write("t" + id + " " + i);
                }
            }, "loop-" + t));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        writer.close();

        List<String> lines = lines(messages);
        assertThat(lines).hasSize(8_000);
        for (int t = 0; t < 4; t++) {
            String prefix = "t" + t + " ";
            List<String> own = lines.stream().filter(l -> l.startsWith(prefix)).toList();
            assertThat(own).hasSize(2_000);
            for (int i = 0; i < own.size(); i++) {
                assertThat(own.get(i)).isEqualTo(prefix + i);
            }
        }
        // fewer than the queue holds: all written by the writer's thread, batched into fewer messages than lines
        assertThat(messages.size()).isLessThan(8_000);
        assertThat(writers).containsOnly("stratos-router-access-log");
    }

    @Test
    void aFullQueueIsWrittenByTheCallerAndNothingIsLost() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> messages = Collections.synchronizedList(new ArrayList<>());
        List<String> callers = Collections.synchronizedList(new ArrayList<>());
        AccessLogWriter writer = new AccessLogWriter(message -> {
            if (Thread.currentThread().getName().equals("stratos-router-access-log")) {
                try {
                    release.await(10, TimeUnit.SECONDS); // a disk that does not keep up
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                callers.add(message);
            }
            messages.add(message);
        });
        for (int i = 0; i < 40_000; i++) {
            writer.write("line " + i);
        }
        assertThat(callers).as("written by the caller once the queue was full").isNotEmpty();
        release.countDown();
        writer.close();
        assertThat(lines(messages)).hasSize(40_000).contains("line 0", "line 39999");
    }
}
