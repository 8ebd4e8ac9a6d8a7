package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratos.lxc.itests.support.Await;
import io.stratos.lxc.itests.support.ControllerProcess;
import io.stratos.lxc.itests.support.Http;
import io.stratos.lxc.itests.support.Json;
import io.stratos.lxc.itests.support.WsEchoCartridge;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Long-lived and big exchanges through the controller's router to real processes of the ws-echo cartridge
 * (cartridges/ws-echo: websocketd on Debian, under LXC), one controller for both tests.
 * <ul>
 * <li>WebSocket, with the JDK's java.net.http.WebSocket as the client: each socket is greeted with the name of the
 * container that answers ("hello from stratos-&lt;process id&gt;"), then every message comes back as it was sent.
 * A drain (2 processes scaled in to 1) gives the leaving process no new upgrade, keeps its open socket echoing until
 * the router's {@code drainTimeoutSeconds} ({@value #ROUTER_DRAIN_SECONDS} s here) and cuts it then, well before
 * the controller's own drain timeout ({@value #CONTROLLER_DRAIN_SECONDS} s) would stop the process under it; the
 * other process's socket is not touched.</li>
 * <li>Streaming: a 1 GiB body, generated while it is sent, through the router to the process's {@code POST /count}
 * CGI, which answers how many bytes it read. The router's JVM (the controller's) is measured with jcmd: heap used
 * after a full GC before, halfway through and after the upload, and its peak resident memory during it (VmHWM,
 * reset first), so that Netty's direct buffers count too.</li>
 * </ul>
 * Both were seen to fail against a router changed for the purpose: with the upgraded connection's drain check
 * off, the socket is not cut within drainTimeoutSeconds + 15 s; with the body held until it is complete before it
 * goes on, the upload breaks off (the client gets a broken pipe). Figures: the lines starting with ECHO, WS and
 * STREAM in itests/target/failsafe-reports/io.stratos.lxc.itests.RouterEchoCartridgeE2E-output.txt.
 */
public class RouterEchoCartridgeE2E {

    static final String ALIAS = "chat";
    static final int ROUTER_DRAIN_SECONDS = 6;
    static final int CONTROLLER_DRAIN_SECONDS = 25;
    static final long UPLOAD_BYTES = 1L << 30;

    private static ControllerProcess controller;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<WebSocket> opened = new ArrayList<>();

    @BeforeClass
    public static void startControllerWithOneEchoProcess() throws Exception {
        long began = System.nanoTime();
        WsEchoCartridge.image();
        controller = ControllerProcess.create("controller-router-websocket");
        controller.distribution()
                .configure("io.stratos.lxc.router.cfg", "drainTimeoutSeconds", String.valueOf(ROUTER_DRAIN_SECONDS))
                .configure("io.stratos.lxc.controller.cfg", "drainTimeoutSeconds", String.valueOf(CONTROLLER_DRAIN_SECONDS));
        controller.start();
        WsEchoCartridge.upload(controller);
        controller.expect(201, "POST", "/partitions", "{\"name\":\"ws\",\"cartridge\":\"" + WsEchoCartridge.NAME
                + "\",\"minVms\":1,\"maxVms\":1,\"vmCapacity\":{\"cpuMillis\":4000,\"memoryMiB\":2048}}");
        controller.expect(201, "POST", "/subscriptions", "{\"alias\":\"" + ALIAS + "\",\"cartridge\":\"" + WsEchoCartridge.NAME
                + "\",\"minProcesses\":1,\"maxProcesses\":2}");
        awaitRunning(1);
        System.out.printf("ECHO controller, image and 1 process ready in %.1f s%n", (System.nanoTime() - began) / 1e9);
    }

    /** RUNNING, and in the router's own backend list (it looks the alias up again after backendCacheMillis). */
    private static void awaitRunning(int count) throws Exception {
        Await.success(count + " RUNNING ws-echo processes behind the router", Duration.ofSeconds(120), () -> {
            assertEquals(count, running().size());
            assertEquals(200, Http.get(router("http", "/")).statusCode());
            String stats = controller.get("/router/" + ALIAS);
            assertEquals(stats, count, Json.tree(stats).path("backends").asInt());
            return null;
        });
    }

    @After
    public void closeSockets() {
        opened.forEach(WebSocket::abort);
    }

    @AfterClass
    public static void stopController() throws Exception {
        if (controller != null) {
            controller.close();
        }
    }

    private static String router(String scheme, String path) {
        return scheme + "://127.0.0.1:" + controller.routerPort() + "/" + ALIAS + path;
    }

    /** Process id to state, of the subscription's processes. */
    private static Map<String, String> processes() throws Exception {
        Map<String, String> states = new HashMap<>();
        for (JsonNode p : Json.tree(controller.get("/subscriptions/" + ALIAS + "/processes"))) {
            states.put(p.path("id").asText(), p.path("state").asText());
        }
        return states;
    }

    private static List<String> running() throws Exception {
        return processes().entrySet().stream().filter(e -> e.getValue().equals("RUNNING")).map(Map.Entry::getKey).toList();
    }

    /** A socket through the router, and which process answered it (from its greeting). */
    private Socket open() throws Exception {
        Socket socket = new Socket();
        socket.ws = http.newWebSocketBuilder().buildAsync(URI.create(router("ws", "/echo")), socket)
                .get(10, TimeUnit.SECONDS);
        opened.add(socket.ws);
        String hello = socket.next();
        assertTrue("the greeting: " + hello, hello != null && hello.startsWith("hello from stratos-"));
        socket.process = hello.substring("hello from stratos-".length());
        return socket;
    }

    @Test
    public void messagesEchoThroughTheRouterAndADrainCutsAnUpgradedConnectionAfterItsTimeoutNotBefore() throws Exception {
        controller.expect(200, "PUT", "/subscriptions/" + ALIAS + "/scale", "{\"processes\":2}");
        awaitRunning(2);
        // fewest requests in flight: an open socket counts, so the second goes to the other process
        Socket first = open();
        Socket second = open();
        assertEquals(new java.util.TreeSet<>(running()), new java.util.TreeSet<>(List.of(first.process, second.process)));
        for (Socket socket : List.of(first, second)) {
            for (int i = 0; i < 20; i++) {
                assertEquals("message " + i + " " + "x".repeat(i * 500), socket.echo("message " + i + " " + "x".repeat(i * 500)));
            }
        }

        long scaledIn = System.nanoTime();
        controller.expect(200, "PUT", "/subscriptions/" + ALIAS + "/scale", "{\"processes\":1}");
        String leaving = Await.success("a process draining", Duration.ofSeconds(10), () -> {
            List<String> stopping = processes().entrySet().stream().filter(e -> e.getValue().equals("STOPPING"))
                    .map(Map.Entry::getKey).toList();
            assertEquals(processes().toString(), 1, stopping.size());
            return stopping.get(0);
        });
        Socket draining = first.process.equals(leaving) ? first : second;
        Socket staying = draining == first ? second : first;
        System.out.printf("WS draining process %s, staying %s%n", leaving, staying.process);

        // The router learns that the process left at its next look-up of the alias (its list is kept backendCacheMillis,
        // 500 ms) or when the controller first asks it about the drain, whichever comes first: until then a new
        // request may still go to the leaving process (which still serves it). From then on:
        Await.success("the router's backend list without the leaving process", Duration.ofSeconds(10), () -> {
            assertEquals(200, Http.get(router("http", "/")).statusCode());
            String stats = controller.get("/router/" + ALIAS);
            assertEquals(stats, 1, Json.tree(stats).path("backends").asInt());
            return null;
        });
        // no new upgrade reaches the draining process, while its open socket still echoes
        for (int i = 0; i < 6; i++) {
            Socket fresh = open();
            assertEquals("upgrade " + i + " during the drain", staying.process, fresh.process);
            assertEquals("during the drain " + i, fresh.echo("during the drain " + i));
            fresh.ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
        assertEquals("still open while draining", draining.echo("still open while draining"));

        String end = draining.ended.get(ROUTER_DRAIN_SECONDS + 15, TimeUnit.SECONDS);
        double cutAfter = (System.nanoTime() - scaledIn) / 1e9;
        System.out.printf("WS the draining process's socket ended (%s) %.1f s after the scale-in; router drainTimeoutSeconds %d,"
                + " controller's %d%n", end, cutAfter, ROUTER_DRAIN_SECONDS, CONTROLLER_DRAIN_SECONDS);
        assertTrue("cut only after the router's drain timeout: " + cutAfter + " s", cutAfter >= ROUTER_DRAIN_SECONDS - 0.5);
        assertTrue("cut by the router, before the controller's drain timeout stops the process: " + cutAfter + " s",
                cutAfter < CONTROLLER_DRAIN_SECONDS - 5);
        assertTrue("the staying socket is not touched: " + staying.ended, !staying.ended.isDone());
        assertEquals("after the drain", staying.echo("after the drain"));
        // the drain ends with the cut: the process goes well before the controller's own timeout
        Await.success("the drained process gone", Duration.ofSeconds(15), () -> {
            String state = processes().get(leaving);
            assertTrue(processes().toString(), state == null || state.equals("STOPPED"));
            return null;
        });
        assertTrue("gone before the controller's drain timeout", (System.nanoTime() - scaledIn) / 1e9 < CONTROLLER_DRAIN_SECONDS);
        assertNotEquals(leaving, staying.process);
        staying.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        assertNotNull(staying.ended.get(5, TimeUnit.SECONDS));
    }

    @Test
    public void aOneGibUploadStreamsThroughTheRouterToAProcessInConstantRouterMemory() throws Exception {
        long pid = controllerJvm();
        long heapBefore = heapUsedAfterGcKiB(pid);
        resetPeakRss(pid);
        long rssBefore = procStatusKiB(pid, "VmRSS:");
        long heapMidway = -1;
        String answer;
        long began = System.nanoTime();
        // a plain socket: a Content-Length body (websocketd's CGI takes no chunked one), generated as it is sent
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", controller.routerPort())) {
            socket.setSoTimeout(60_000);
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("POST /" + ALIAS + "/count HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: " + UPLOAD_BYTES + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] block = new byte[64 * 1024];
            new java.util.Random(17).nextBytes(block);
            for (long sent = 0; sent < UPLOAD_BYTES; sent += block.length) {
                if (sent == UPLOAD_BYTES / 2) {
                    // half the body is through: what the router holds now, after a full GC, is what it keeps of it
                    heapMidway = heapUsedAfterGcKiB(pid);
                }
                out.write(block);
            }
            out.flush();
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        long rssPeak = procStatusKiB(pid, "VmHWM:");
        long heapAfter = heapUsedAfterGcKiB(pid);
        System.out.printf("STREAM 1 GiB upload through the router in %.1f s (%.0f MiB/s); router JVM heap used after a full GC:"
                        + " before %d KiB, halfway through %d KiB, after %d KiB; resident memory before %d KiB, peak during %d KiB%n",
                seconds, UPLOAD_BYTES / 1048576.0 / seconds, heapBefore, heapMidway, heapAfter, rssBefore, rssPeak);
        assertTrue(answer, answer.startsWith("HTTP/1.1 200"));
        String body = answer.substring(answer.indexOf("\r\n\r\n") + 4).trim();
        assertEquals("the bytes the process counted: " + answer, String.valueOf(UPLOAD_BYTES), body);
        long bound = 64 * 1024;
        assertTrue("the heap halfway through grew by " + (heapMidway - heapBefore) + " KiB", heapMidway - heapBefore < bound);
        assertTrue("the heap after grew by " + (heapAfter - heapBefore) + " KiB", heapAfter - heapBefore < bound);
        // off the heap too (Netty's direct buffers): the JVM's resident memory did not take the body in
        assertTrue("resident memory peaked " + (rssPeak - rssBefore) + " KiB above where it was", rssPeak - rssBefore < 4 * bound);
    }

    /** The controller's JVM (the embedded router runs in it). */
    private static long controllerJvm() {
        String karafHome = "-Dkaraf.home=" + controller.distribution().home();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(args -> List.of(args).contains(karafHome)).orElse(false))
                .filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
                .findFirst().orElseThrow(() -> new AssertionError("no JVM with " + karafHome)).pid();
    }

    /** jcmd GC.run, then the heap's used KiB from GC.heap_info (the generations' "total ..., used NK", summed). */
    private static long heapUsedAfterGcKiB(long pid) throws Exception {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        java.util.regex.Matcher used = java.util.regex.Pattern.compile("total \\d+K, used (\\d+)K").matcher(info);
        long kib = 0;
        boolean found = false;
        while (used.find()) {
            kib += Long.parseLong(used.group(1));
            found = true;
        }
        assertTrue("GC.heap_info: " + info, found);
        return kib;
    }

    private static String jcmd(long pid, String command) throws Exception {
        Process jcmd = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid), command).redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("jcmd " + command + ": " + output, jcmd.waitFor(60, TimeUnit.SECONDS) && jcmd.exitValue() == 0);
        return output;
    }

    /** Sets the process's peak resident memory (VmHWM) back to what it holds now. */
    private static void resetPeakRss(long pid) throws Exception {
        java.nio.file.Files.writeString(java.nio.file.Path.of("/proc/" + pid + "/clear_refs"), "5");
    }

    private static long procStatusKiB(long pid, String field) throws Exception {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new AssertionError("no " + field + " in /proc/" + pid + "/status");
    }

    /** A client socket: what the server sends, and how it ended. */
    private static final class Socket implements WebSocket.Listener {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<String> ended = new CompletableFuture<>();
        private final StringBuilder parts = new StringBuilder();
        WebSocket ws;
        String process;

        String next() throws InterruptedException {
            return messages.poll(10, TimeUnit.SECONDS);
        }

        String echo(String message) throws Exception {
            ws.sendText(message, true).get(5, TimeUnit.SECONDS);
            return next();
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            parts.append(data);
            if (last) {
                messages.add(parts.toString());
                parts.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
            ended.complete("closed " + status);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            ended.complete("error " + error);
        }
    }
}
