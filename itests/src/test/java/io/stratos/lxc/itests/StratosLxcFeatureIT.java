package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.artifact.GitFetcher;
import io.stratos.lxc.api.status.ComponentState;
import io.stratos.lxc.api.status.ComponentStatus;
import io.stratos.lxc.api.status.StatusService;
import io.stratos.lxc.api.status.SystemStatus;
import io.stratos.lxc.itests.support.Http;
import io.stratos.lxc.itests.support.Json;
import io.stratos.lxc.itests.support.StratosKarafTestSupport;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import javax.inject.Inject;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.sql.DataSource;
import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * {@code feature:install stratos-lxc} in a stock Karaf brings up one status service with three
 * views over it: REST, shell and JMX; and the web console beside the REST API.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StratosLxcFeatureIT extends StratosKarafTestSupport {

    @Inject
    FeaturesService featuresService;

    @Inject
    StatusService statusService;

    @Inject
    MBeanServer mbeanServer;

    @Inject
    ConfigurationAdmin configurationAdmin;

    @Inject
    GitFetcher gitFetcher;

    @Inject
    @Filter("(dataSourceName=stratos)")
    DataSource dataSource;

    @Test
    public void theFeatureIsInstalledAndTheControllerIsActive() throws Exception {
        assertTrue(featuresService.isInstalled(featuresService.getFeature("stratos-lxc")));
        SystemStatus status = statusService.status();
        assertEquals(ComponentState.ACTIVE, component(status, "controller").state());
        assertTrue("version " + status.version(), status.version().startsWith("0."));
    }

    @Test
    public void flywayMigratesTheControllerAndTheAutoscalerEachInItsOwnHistoryInsideKaraf() throws Exception {
        await("cloud-controller and autoscaler running", () -> {
            SystemStatus status = statusService.status();
            return status.components().stream().filter(c -> c.name().equals("cloud-controller")
                    || c.name().equals("autoscaler")).filter(c -> c.state() != ComponentState.UNAVAILABLE).count() == 2;
        }, Duration.ofSeconds(30));
        // the scripts were found by scanning each bundle: V1..V3 of the controller, V1 of the autoscaler at least
        assertTrue(scriptsApplied("controller_schema_history") >= 3);
        assertTrue(scriptsApplied("autoscaler_schema_history") >= 1);
    }

    private int scriptsApplied(String historyTable) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM \"" + historyTable
                     + "\" WHERE \"type\" = 'SQL' AND \"success\"")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    @Test
    public void restAnswersTheStatusAsJson() throws Exception {
        String body = Http.awaitOk(api("/status"), Duration.ofSeconds(30));
        assertTrue(body, Json.at(body, "/version") != null);
        assertTrue(body, Json.at(body, "/uptimeSeconds") != null);
        assertEquals(body, "ACTIVE", Json.componentState(body, "controller"));
    }

    @Test
    public void unknownPathsAnswerJson404() throws Exception {
        Http.awaitOk(api("/status"), Duration.ofSeconds(30));
        var response = Http.get(api("/no-such-thing"));
        assertEquals(404, response.statusCode());
        assertTrue(response.body(), Json.at(response.body(), "/error") != null);
    }

    @Test
    public void theWebConsoleIsServedBesideTheApi() throws Exception {
        String console = "http://127.0.0.1:" + httpPort() + "/stratos/console/";
        String page = Http.awaitOk(console, Duration.ofSeconds(30));
        assertTrue(page, page.contains("<script type=\"module\" src=\"js/app.js\"></script>"));
        var module = Http.get(console + "js/app.js");
        assertEquals(200, module.statusCode());
        assertEquals("text/javascript; charset=utf-8", module.headers().firstValue("Content-Type").orElse(""));
        assertEquals(200, Http.get(console + "vendor/uplot/uPlot.esm.js").statusCode());
    }

    @Test
    public void theShellCommandShowsTheSameStatus() throws Exception {
        String output = awaitCommand("stratos:status", out -> out.contains("controller"), Duration.ofSeconds(20));
        assertTrue(output, output.contains("Stratos LXC " + statusService.status().version()));
        assertTrue(output, output.matches("(?s).*controller\\s*\\|\\s*ACTIVE.*"));
    }

    @Test
    public void theMBeanShowsTheSameStatus() throws Exception {
        ObjectName name = new ObjectName("io.stratos.lxc:type=Controller");
        await("the Controller MBean", () -> mbeanServer.isRegistered(name), Duration.ofSeconds(20));
        assertEquals(statusService.status().version(), mbeanServer.getAttribute(name, "Version"));
        assertEquals("ACTIVE", mbeanServer.getAttribute(name, "State"));
        String[] components = (String[]) mbeanServer.getAttribute(name, "Components");
        assertTrue(String.join(",", components), String.join(",", components).contains("controller ACTIVE"));
    }

    @Test
    public void anUnparsableValueShowsTheControllerUnconfiguredNamingTheKeyUntilFixed() throws Exception {
        Configuration configuration = configurationAdmin.getConfiguration("io.stratos.lxc.controller", null);
        Dictionary<String, Object> bad = new Hashtable<>();
        bad.put("agentGracePeriodSeconds", "half a minute");
        configuration.update(bad);
        await("UNCONFIGURED", () -> component(statusService.status(), "controller").state() == ComponentState.UNCONFIGURED,
                Duration.ofSeconds(10));
        assertTrue(component(statusService.status(), "controller").detail().contains("agentGracePeriodSeconds"));
        String body = Http.awaitOk(api("/status"), Duration.ofSeconds(10));
        assertTrue(body, body.contains("half a minute"));

        Dictionary<String, Object> good = new Hashtable<>();
        good.put("agentGracePeriodSeconds", "30");
        configuration.update(good);
        await("ACTIVE again", () -> component(statusService.status(), "controller").state() == ComponentState.ACTIVE,
                Duration.ofSeconds(10));
    }

    @Test
    public void theGitFetcherSnapshotsALocalRepositoryOnceFileUrlsAreAllowed() throws Exception {
        // a repository made by the git command line, read by JGit inside Karaf
        Path work = Files.createTempDirectory("stratos-git-it");
        Path repository = work.resolve("app");
        Files.createDirectories(repository.resolve("bin"));
        Files.writeString(repository.resolve("README"), "hello\n");
        Files.writeString(repository.resolve("bin/run.sh"), "#!/bin/sh\necho run\n");
        assertTrue(repository.resolve("bin/run.sh").toFile().setExecutable(true));
        Files.createSymbolicLink(repository.resolve("start"), Path.of("bin/run.sh"));
        run(repository, "git", "init", "-q", "-b", "main");
        run(repository, "git", "add", ".");
        run(repository, "git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "commit", "-q", "-m", "first");
        run(repository, "git", "tag", "v1");
        String head = run(repository, "git", "rev-parse", "HEAD").trim();
        String url = repository.toUri().toString();

        // off by default (etc/io.stratos.lxc.git.cfg)
        try {
            gitFetcher.snapshot(url, "main", OutputStream.nullOutputStream(), 1_000_000);
            throw new AssertionError("file: was allowed by default");
        } catch (StratosException e) {
            assertEquals(StratosException.Kind.INVALID_INPUT, e.kind());
            assertEquals("git", e.field());
        }

        Configuration configuration = configurationAdmin.getConfiguration("io.stratos.lxc.git", null);
        Dictionary<String, Object> allowFile = new Hashtable<>();
        allowFile.put("allowedSchemes", "https, git, file");
        allowFile.put("workDir", work.resolve("fetches").toString());
        configuration.update(allowFile);
        Path tar = work.resolve("app.tar");
        await("file: allowed", () -> {
            try (OutputStream out = Files.newOutputStream(tar)) {
                return gitFetcher.snapshot(url, "v1", out, 1_000_000).equals(head);
            } catch (StratosException e) {
                return false;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, Duration.ofSeconds(10));

        String listing = run(work, "tar", "-tvf", tar.toString());
        assertTrue(listing, listing.matches("(?s).*-rwxr-xr-x .* bin/run\\.sh\n.*"));
        assertTrue(listing, listing.matches("(?s).* README\n.*"));
        assertTrue(listing, listing.contains("start -> bin/run.sh"));
        assertTrue(listing, !listing.contains(".git"));
        try {
            gitFetcher.snapshot(url, "nope", OutputStream.nullOutputStream(), 1_000_000);
            throw new AssertionError("an unknown ref was fetched");
        } catch (StratosException e) {
            assertEquals("ref", e.field());
            assertTrue(e.getMessage(), e.getMessage().contains("ref 'nope' not found in " + url + "; it has branches [main]"));
        }
        try (var leftovers = Files.list(work.resolve("fetches"))) {
            assertEquals(0, leftovers.count());
        }
    }

    private static String run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(String.join(" ", command) + ": " + output, 0, process.waitFor());
        return output;
    }

    private static ComponentStatus component(SystemStatus status, String name) {
        return status.components().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no component " + name + " in " + status));
    }
}
