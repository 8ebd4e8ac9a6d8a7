package io.stratos.lxc.itests.support;

import static org.junit.Assert.assertEquals;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.features;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.function.Predicate;
import javax.inject.Inject;
import javax.security.auth.Subject;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Boots a stock Apache Karaf, adds our features repository and installs {@code stratos-lxc}, exactly
 * as the README tells a user to. Every port is a free one, so a running controller does not matter.
 */
public abstract class StratosKarafTestSupport {

    @Inject
    protected BundleContext bundleContext;

    @Inject
    protected SessionFactory sessionFactory;

    /** The HTTP port of the Karaf under test (read inside the container from its system properties). */
    protected static int httpPort() {
        return Integer.getInteger("stratos.test.httpPort");
    }

    protected static String api(String path) {
        return "http://127.0.0.1:" + httpPort() + "/stratos/api/v1" + path;
    }

    @Configuration
    public Option[] config() {
        String karafVersion = System.getProperty("stratos.karaf.version");
        String localRepository = System.getProperty("stratos.local.repository");
        int httpPort = FreePorts.next();
        java.util.List<Option> users = new java.util.ArrayList<>();
        for (String[] user : TestUsers.USERS_PROPERTIES) {
            users.add(editConfigurationFilePut("etc/users.properties", user[0], user[1]));
        }
        Option[] options = new Option[] {
            karafDistributionConfiguration()
                .frameworkUrl(maven("org.apache.karaf", "apache-karaf").type("tar.gz").version(karafVersion))
                .unpackDirectory(new File("target/exam"))
                .useDeployFolder(false),
            configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
            logLevel(LogLevelOption.LogLevel.WARN),
            editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", String.valueOf(httpPort)),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", String.valueOf(FreePorts.next())),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", String.valueOf(FreePorts.next())),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", String.valueOf(FreePorts.next())),
            editConfigurationFilePut("etc/io.stratos.lxc.router.cfg", "port", String.valueOf(FreePorts.next())),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository", localRepository),
            editConfigurationFilePut("etc/system.properties", "stratos.test.httpPort", String.valueOf(httpPort)),
            // A stock Karaf has no agent distribution of its own: point the local adapter at the built one.
            editConfigurationFilePut("etc/io.stratos.lxc.iaas.local.cfg", "agentDistribution", System.getProperty("stratos.agent.dist")),
            // VMs on this host's network: namespaced VMs are NetworkedVmsE2E's subject, with a bridge of its own.
            editConfigurationFilePut("etc/io.stratos.lxc.iaas.local.cfg", "network", "host"),
            systemProperty("stratos.test.httpPort").value(String.valueOf(httpPort)),
            systemProperty("stratos.sample.image").value(System.getProperty("stratos.sample.image")),
            features(System.getProperty("stratos.features.url"), "stratos-lxc"),
        };
        users.addAll(0, java.util.List.of(options));
        return users.toArray(Option[]::new);
    }

    /** Runs a shell command as an admin, as {@code bin/client} would, and returns what it printed. */
    protected String executeCommand(String command) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Session session = sessionFactory.create(System.in, out, out);
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal("karaf"));
        subject.getPrincipals().add(new RolePrincipal("admin"));
        subject.getPrincipals().add(new RolePrincipal("manager"));
        subject.getPrincipals().add(new RolePrincipal("viewer"));
        Object result = Subject.doAs(subject, (PrivilegedExceptionAction<Object>) () -> session.execute(command));
        out.flush();
        return bytes.toString(StandardCharsets.UTF_8) + (result == null ? "" : result);
    }

    /*
     * The waits below run inside the Karaf under test (the Pax Exam probe), where Awaitility and Hamcrest are not
     * installed: adding them would change the container the ITs test. Outside it, tests wait with Await.
     */

    /** Retries a shell command until its output satisfies the check (commands register asynchronously). */
    protected String awaitCommand(String command, Predicate<String> check, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String output = "";
        Exception failure = null;
        while (System.nanoTime() < deadline) {
            try {
                output = executeCommand(command);
                failure = null;
                if (check.test(output)) {
                    return output;
                }
            } catch (Exception e) {
                failure = e;
            }
            Thread.sleep(100); // a poll interval: no Awaitility inside Karaf (see above)
        }
        throw new AssertionError("'" + command + "' never gave the expected output; last: " + output
                + (failure == null ? "" : " / " + failure));
    }

    /** Once REST answers: the sample static-httpd cartridge in the store, uploaded unless a test before did it. */
    protected static void awaitApiWithSampleCartridge() throws Exception {
        Http.awaitOk(api("/subscriptions"), Duration.ofSeconds(60));
        String cartridges = Http.awaitOk(api("/cartridges"), Duration.ofSeconds(60));
        if (!Json.strings(cartridges, "name").contains("static-httpd")) {
            HttpResponse<String> uploaded = Http.send(Http.request(api("/cartridges/static-httpd/versions/1.0.0"))
                    .PUT(HttpRequest.BodyPublishers.ofFile(Path.of(System.getProperty("stratos.sample.image")))));
            assertEquals(uploaded.body(), 201, uploaded.statusCode());
        }
    }

    protected Bundle bundle(String symbolicName) {
        for (Bundle bundle : bundleContext.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    protected static void await(String what, java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50); // a poll interval: no Awaitility inside Karaf (see above)
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
    }
}
