package io.stratos.lxc.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratos.lxc.itests.support.ControllerProcess;
import io.stratos.lxc.itests.support.Http;
import io.stratos.lxc.itests.support.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * An agent's identity on a real local VM: its join token works once (a replay is refused and does not cut the
 * real agent off), it keeps its secret in its data directory and registers with it after its own and the
 * controller's restarts, keeping its containers; an operator's rejoin hands it a new token.
 */
public class AgentIdentityE2E {

    private static final String PAGE = "Hello from the static-httpd cartridge";

    private ControllerProcess controller;

    @Before
    public void startController() throws Exception {
        controller = ControllerProcess.create("controller-identity").start();
        controller.awaitCartridge("static-httpd");
    }

    @After
    public void stopController() throws Exception {
        controller.close();
    }

    private HttpResponse<String> register(String json) throws Exception {
        return Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controller.httpPort() + "/stratos/agent/v1/register"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** The running containers' init pids by process id: the same pids mean the containers were kept, not restarted. */
    private List<String> containerPids(String vm, List<String> processIds) throws Exception {
        Path lxcpath = controller.vmsDirectory().resolve(vm).resolve("agent-data/containers");
        List<String> pids = new ArrayList<>();
        for (String id : processIds) {
            Process info = new ProcessBuilder("lxc-info", "-P", lxcpath.toString(), "-n", "stratos-" + id, "-p", "-H")
                    .redirectErrorStream(true).start();
            pids.add(new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
            info.waitFor();
        }
        return pids;
    }

    /** Waits until the subscription's two processes run and serve, and the VM is READY; returns their ids. */
    private List<String> awaitServing() {
        return await("two serving processes on a READY VM").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().until(() -> {
                    assertEquals(1, Json.count(controller.get("/vms"), "state", "READY"));
                    String json = controller.get("/subscriptions/hello/processes");
                    List<String> ids = new ArrayList<>();
                    for (JsonNode p : Json.tree(json)) {
                        assertEquals(json, "RUNNING", p.path("state").textValue());
                        assertTrue(Http.get("http://127.0.0.1:" + p.path("hostPort").intValue() + "/").body().contains(PAGE));
                        ids.add(p.path("id").textValue());
                    }
                    return ids.stream().sorted().toList();
                }, ids -> ids.size() == 2);
    }

    private void restartAgent(Path vmDir) throws Exception {
        List<ProcessHandle> agents = controller.agents();
        agents.forEach(ProcessHandle::destroyForcibly);
        await("the agent gone").atMost(Duration.ofSeconds(30)).until(() -> agents.stream().noneMatch(ProcessHandle::isAlive));
        // what the VM's init system would do
        new ProcessBuilder(vmDir.resolve("start-agent").toString()).start();
    }

    private String lastHeartbeat() throws Exception {
        return Json.strings(controller.get("/vms"), "lastHeartbeat").get(0);
    }

    @Test
    public void aJoinTokenWorksOnceAndAnAgentKeepsItsSecretAndContainersAcrossAgentAndControllerRestarts() throws Exception {
        controller.expect(201, "POST", "/partitions", "{\"name\":\"web\",\"cartridge\":\"static-httpd\",\"minVms\":1,\"maxVms\":1,"
                + "\"vmCapacity\":{\"cpuMillis\":1000,\"memoryMiB\":512}}");
        controller.expect(201, "POST", "/subscriptions", "{\"alias\":\"hello\",\"cartridge\":\"static-httpd\",\"minProcesses\":2}");
        List<String> processes = awaitServing();
        String vm = Json.strings(controller.get("/vms"), "id").get(0);
        Path vmDir = controller.vmsDirectory().resolve(vm);
        List<String> pids = containerPids(vm, processes);

        // The secret is in the agent's data directory, for its owner only.
        Path secretFile = vmDir.resolve("agent-data/agent-secret");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secretFile)));
        String secret = Files.readString(secretFile).trim();
        assertEquals(32, secret.length());

        // A replayed join token is refused, and the real agent is not cut off: its heartbeats go on.
        Matcher token = Pattern.compile("STRATOS_AGENT_JOIN_TOKEN='([0-9a-f]+)'").matcher(Files.readString(vmDir.resolve("agent.env")));
        assertTrue(token.find());
        HttpResponse<String> replay = register("{\"joinToken\":\"" + token.group(1) + "\",\"vmId\":\"" + vm + "\"}");
        assertEquals(replay.body(), 404, replay.statusCode());
        assertTrue(replay.body(), Json.hasStrings(replay.body(), "error"));
        String heartbeat = lastHeartbeat();
        await("a heartbeat after the replay").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> !lastHeartbeat().equals(heartbeat));

        // Not even the secret's holder may claim more than the VM was created with.
        HttpResponse<String> greedy = register("{\"vmId\":\"" + vm + "\",\"secret\":\"" + secret + "\","
                + "\"capacity\":{\"cpuMillis\":999999,\"memoryMiB\":9999999}}");
        assertEquals(greedy.body(), 400, greedy.statusCode());
        assertEquals(greedy.body(), "capacity", Json.tree(greedy.body()).path("field").textValue());

        // kill -9 of the agent: restarted, it registers with its kept secret and re-adopts its containers.
        restartAgent(vmDir);
        assertEquals(processes, awaitServing());
        assertEquals(pids, containerPids(vm, processes));
        assertEquals(secret, Files.readString(secretFile).trim());

        // kill -9 of the controller, then of the agent again: the persisted secret still lets it in.
        controller.distribution().kill();
        controller.start();
        restartAgent(vmDir);
        assertEquals(processes, awaitServing());
        assertEquals(pids, containerPids(vm, processes));
        assertEquals(secret, Files.readString(secretFile).trim());

        // An operator's rejoin: the local adapter hands the new token over, the agent registers with it and keeps a new
        // secret; its containers stay. The new token, like the first, works once.
        HttpResponse<String> rejoin = controller.send("POST", "/vms/" + vm + "/rejoin", null);
        assertEquals(rejoin.body(), 200, rejoin.statusCode());
        assertEquals(rejoin.body(), "true", Json.at(rejoin.body(), "/handedToVm"));
        String newToken = Json.strings(rejoin.body(), "joinToken").get(0);
        await("a new secret").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> !Files.readString(secretFile).trim().equals(secret));
        assertEquals(processes, awaitServing());
        assertEquals(pids, containerPids(vm, processes));
        HttpResponse<String> replayNew = register("{\"joinToken\":\"" + newToken + "\",\"vmId\":\"" + vm + "\"}");
        assertEquals(replayNew.body(), 404, replayNew.statusCode());
        assertNotEquals(secret, Files.readString(secretFile).trim());
    }
}
