package io.stratos.lxc.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.karaf.shell.api.action.Command;
import org.junit.jupiter.api.Test;

/**
 * Karaf's command guard lets anyone who can log in run a command its ACL does not name, so the
 * shipped ACL ({@code etc/org.apache.karaf.command.acl.stratos.cfg}) must name every stratos command,
 * and only with the roles the README promises.
 */
class CommandAclTest {

    static final Path ACL = Path.of("../../features/src/main/cfg/org.apache.karaf.command.acl.stratos.cfg");

    static Set<String> commands() throws IOException {
        Set<String> names = new TreeSet<>();
        Path classes = Path.of("target/classes");
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                try {
                    Command command = Class.forName(name).getAnnotation(Command.class);
                    if (command != null) {
                        assertThat(command.scope()).isEqualTo("stratos");
                        names.add(command.name());
                    }
                } catch (ClassNotFoundException | NoClassDefFoundError e) {
                    // not a loadable top-level command class
                }
            }
        }
        return names;
    }

    @Test
    void everyCommandIsInTheAclForViewersOrAdminsOnly() throws Exception {
        Properties acl = new Properties();
        try (Reader reader = Files.newBufferedReader(ACL)) {
            acl.load(reader);
        }
        Set<String> commands = commands();
        assertThat(commands).hasSizeGreaterThan(15);
        assertThat(acl.stringPropertyNames()).containsExactlyInAnyOrderElementsOf(commands);
        for (String command : commands) {
            assertThat(acl.getProperty(command)).as(command).isIn(List.of("viewer", "admin"));
        }
        // Everything that changes state is for admins.
        for (String command : List.of("subscribe", "scale", "unsubscribe", "cartridge-upload", "cartridge-delete", "partition-create",
                "partition-delete", "partition-scale", "policy-create", "policy-delete", "cartridge-tag")) {
            assertThat(acl.getProperty(command)).as(command).isEqualTo("admin");
        }
    }
}
