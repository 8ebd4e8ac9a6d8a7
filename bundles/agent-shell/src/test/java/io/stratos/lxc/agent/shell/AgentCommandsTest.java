package io.stratos.lxc.agent.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.agent.status.AgentImage;
import io.stratos.lxc.agent.status.AgentProcess;
import io.stratos.lxc.agent.status.AgentStatus;
import io.stratos.lxc.agent.status.AgentSummary;
import io.stratos.lxc.agent.status.LogTail;
import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.controller.ProcessMetrics;
import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.controller.Resources;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.api.console.CommandLine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AgentCommandsTest {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private PrintStream stdout;

    @BeforeEach
    void captureStdout() {
        stdout = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStdout() {
        System.setOut(stdout);
    }

    private String output() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    /** A fixed agent: two processes (one running, one failed), one image. */
    static final class FixedAgent implements AgentStatus {
        final List<String> logRequests = new ArrayList<>();
        String problem = "";

        @Override
        public AgentSummary summary() {
            Map<ProcessState, Integer> byState = new EnumMap<>(ProcessState.class);
            for (ProcessState s : ProcessState.values()) {
                byState.put(s, 0);
            }
            byState.put(ProcessState.RUNNING, 1);
            byState.put(ProcessState.FAILED, 1);
            return new AgentSummary("vm-1", "static", "0.1.0", "registered as agent-7", 3 * 3600_000L + 5 * 60_000L,
                    new Resources(2000, 1024), new Resources(500, 256), 5L * 1024 * 1024, byState,
                    Map.of("lxc", "available", "docker", "unavailable: no Docker socket"), 20000, 20098, 1,
                    1, 1_153_434, 10L * 1024 * 1024 * 1024, 1, "10.240.0.5", List.of("10.240.0.1", "10.240.0.5", "127.0.0.0/8"), 7,
                    problem);
        }

        @Override
        public List<AgentProcess> processes() {
            return List.of(
                    new AgentProcess("hello-84f2f77d", "hello", "static-httpd:1.0.0", "lxc", ProcessState.RUNNING, 20000, 250, 128, 0,
                            new ProcessMetrics(1.25, 3L * 1024 * 1024, 128L * 1024 * 1024, 1, 0), "", "10.240.0.5:20000"),
                    new AgentProcess("hello-76a50b36", "hello", "static-httpd:1.0.0", "docker", ProcessState.FAILED, 0, 250, 128, 3,
                            ProcessMetrics.NONE, "runtime docker is unavailable on this VM; retry in 4 s"));
        }

        @Override
        public List<AgentImage> images() {
            return List.of(new AgentImage(DIGEST, "static-httpd:1.0.0", 1_153_434, Instant.parse("2026-11-25T10:00:00Z"), 1));
        }

        @Override
        public LogTail logTail(String processId, int lines) {
            logRequests.add(processId + "/" + lines);
            if (!processId.equals("hello-84f2f77d")) {
                throw StratosException.notFound("no container of process '" + processId + "' on this VM", null);
            }
            return new LogTail(processId, "lxc", "/data/containers/stratos-hello-84f2f77d/console.log",
                    List.of("line 1", "line 2"));
        }
    }

    @Test
    void statusShowsIdentityCapacityAllocationCountsPortsImagesAndRuntimes() {
        StatusCommand command = new StatusCommand();
        command.status = new FixedAgent();
        command.execute();
        assertThat(output()).contains(
                "Agent vm-1 (partition static), version 0.1.0, up 3h 5m",
                "Controller: registered as agent-7",
                "Capacity:   2000m CPU, 1024 MiB",
                "Allocated:  500m CPU (25%), 256 MiB (25%)",
                "Memory use: 5.0 MiB in containers",
                "Processes:  2 (RUNNING 1, FAILED 1)",
                "Ports:      20000-20098, 1 in use",
                "Published:  on 10.240.0.5, for 10.240.0.1, 10.240.0.5, 127.0.0.0/8; 7 connection(s) from other sources refused",
                "Images:     1 cached, 1.1 MiB of 10.0 GiB, 1 fetched since start",
                "Runtimes:   docker unavailable: no Docker socket; lxc available");
        assertThat(output()).doesNotContain("Problem:");
    }

    @Test
    void statusSaysWhatKeepsTheAgentFromPublishing() {
        StatusCommand command = new StatusCommand();
        FixedAgent agent = new FixedAgent();
        agent.problem = "publishAddress 10.9.9.9 cannot be bound on this VM (Cannot assign requested address): set "
                + "STRATOS_AGENT_PUBLISH_ADDRESS (publishAddress) to one of its addresses [10.240.0.5]";
        command.status = agent;
        command.execute();
        assertThat(output()).contains("Problem:    publishAddress 10.9.9.9 cannot be bound on this VM");
    }

    @Test
    void processListIsATableWithPortsMetricsRestartsAndReasons() {
        ProcessListCommand command = new ProcessListCommand();
        command.status = new FixedAgent();
        command.execute();
        List<String> lines = output().lines().toList();
        assertThat(lines.get(0)).contains("Process", "Alias", "Cartridge", "Runtime", "State", "Endpoint", "CPU %", "Memory MiB",
                "Limit MiB", "Restarts", "Reason");
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("hello-84f2f77d", "lxc", "RUNNING", "10.240.0.5:20000", "1.3", "3.0", "128"));
        // no port yet is "-", not 0
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("hello-76a50b36", "FAILED", " - ", "runtime docker is unavailable"));
    }

    @Test
    void imageListShowsShortDigestSizeUsersAndHowLongAgo() {
        AgentFormat.images(new FixedAgent().images(), Instant.parse("2026-11-25T12:30:00Z"),
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertThat(output()).contains("sha256:abababababab", "static-httpd:1.0.0", "1.1 MiB",
                "2026-11-25T10:00:00Z (2h 30m ago)");
    }

    @Test
    void logsPrintTheLinesAndPassTheCount() {
        FixedAgent agent = new FixedAgent();
        LogsCommand command = new LogsCommand();
        command.status = agent;
        command.processId = "hello-84f2f77d";
        command.lines = 2;
        command.execute();
        assertThat(output()).isEqualTo("line 1" + System.lineSeparator() + "line 2" + System.lineSeparator());
        assertThat(agent.logRequests).containsExactly("hello-84f2f77d/2");
    }

    @Test
    void anEmptyLogSaysSoAndWhereItLooked() {
        AgentFormat.log(new LogTail("p-1", "docker", "docker logs stratos-p-1", List.of()), System.out);
        assertThat(output()).contains("p-1 has written nothing to its console yet; docker: docker logs stratos-p-1");
    }

    @Test
    void logsOfAnUnknownProcessAreAOneLineError() {
        LogsCommand command = new LogsCommand();
        command.status = new FixedAgent();
        command.processId = "nope";
        assertThatThrownBy(command::execute).isInstanceOf(StratosException.class)
                .hasMessage("no container of process 'nope' on this VM");
    }

    @Test
    void theCompleterOffersTheProcessIdsMatchingWhatIsTyped() {
        ProcessIdCompleter completer = new ProcessIdCompleter();
        completer.status = new FixedAgent();
        List<String> candidates = new ArrayList<>();
        completer.complete(null, line("agent:logs", "hello-8"), candidates);
        // a unique match comes with the space that ends the word
        assertThat(candidates).containsExactly("hello-84f2f77d ");
        candidates.clear();
        completer.complete(null, line("agent:logs", ""), candidates);
        assertThat(candidates).map(String::trim).containsExactlyInAnyOrder("hello-84f2f77d", "hello-76a50b36");
    }

    @Test
    void numbersReadWell() {
        assertThat(AgentFormat.bytes(512)).isEqualTo("512 B");
        assertThat(AgentFormat.bytes(3L * 1024 * 1024 * 1024)).isEqualTo("3.0 GiB");
        assertThat(AgentFormat.percent(1, 3)).isEqualTo("33%");
        assertThat(AgentFormat.percent(5, 0)).isEqualTo("-");
        assertThat(AgentFormat.duration(Duration.ofSeconds(12))).isEqualTo("12s");
        assertThat(AgentFormat.duration(Duration.ofSeconds(247))).isEqualTo("4m 7s");
        assertThat(AgentFormat.duration(Duration.ofHours(76))).isEqualTo("3d 4h");
        assertThat(AgentFormat.counts(Map.of())).isEmpty();
    }

    private static CommandLine line(String... words) {
        int cursor = words.length - 1;
        return new CommandLine() {
            @Override
            public int getCursorArgumentIndex() {
                return cursor;
            }

            @Override
            public String getCursorArgument() {
                return words[cursor];
            }

            @Override
            public int getArgumentPosition() {
                return words[cursor].length();
            }

            @Override
            public String[] getArguments() {
                return words;
            }

            @Override
            public int getBufferPosition() {
                return String.join(" ", words).length();
            }

            @Override
            public String getBuffer() {
                return String.join(" ", words);
            }
        };
    }
}
