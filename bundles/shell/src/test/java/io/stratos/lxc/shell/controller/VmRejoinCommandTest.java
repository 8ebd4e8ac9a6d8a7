package io.stratos.lxc.shell.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.controller.VmRejoin;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class VmRejoinCommandTest {

    private static VmRejoinCommand command(String vm, boolean handed) {
        VmRejoinCommand command = new VmRejoinCommand();
        command.vm = vm;
        command.controller = (CloudController) Proxy.newProxyInstance(VmRejoinCommandTest.class.getClassLoader(),
                new Class<?>[] {CloudController.class}, (p, m, args) -> {
                    if (!m.getName().equals("rejoinVm")) {
                        throw new UnsupportedOperationException(m.getName());
                    }
                    if (!"web-1".equals(args[0])) {
                        throw StratosException.notFound("no VM '" + args[0] + "'", "list them with stratos:vm-list");
                    }
                    return new VmRejoin("web-1", "f".repeat(32), handed, "write it to <agent data directory>/join-token on the VM");
                });
        return command;
    }

    private static String printed(VmRejoinCommand command) {
        PrintStream out = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            command.execute();
        } finally {
            System.setOut(out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsTheNewTokenAndHowItReachesTheVm() {
        assertThat(printed(command("web-1", true))).contains("VM web-1: new join token " + "f".repeat(32)).contains("Handed to the VM's agent");
        assertThat(printed(command("web-1", false))).contains("f".repeat(32)).contains("join-token on the VM");
    }

    @Test
    void anUnknownVmIsTheControllersOneLineMessage() {
        assertThatThrownBy(() -> command("nope", true).execute()).isInstanceOf(StratosException.class).hasMessage("no VM 'nope'");
    }
}
