package io.stratos.lxc.iaas.local;

import io.stratos.lxc.api.config.ConfigValues;
import java.nio.file.Path;

/** Settings of PID {@code io.stratos.lxc.iaas.local}. */
record LocalSettings(Path agentDistribution, Path vmsDirectory, int portRangeStart, int portsPerVm, int maxVms,
                     Path javaHome, String agentJavaOptions) {

    static final String PID = "io.stratos.lxc.iaas.local";

    static LocalSettings from(ConfigValues values) {
        String home = System.getProperty("karaf.home", ".");
        String data = System.getProperty("karaf.data", "data");
        int start = values.port("portRangeStart", 20000);
        int perVm = values.integer("portsPerVm", 100, 2, 10_000);
        int max = values.integer("maxVms", 50, 1, 10_000);
        if ((long) start + (long) perVm * max - 1 > 65535) {
            max = values.problem("maxVms", String.valueOf(max),
                    "at most " + ((65536 - start) / perVm) + " so that every VM's port range ends below 65536",
                    Math.max(1, (65536 - start) / perVm));
        }
        return new LocalSettings(
                Path.of(values.string("agentDistribution", Path.of(home, "agent", "stratos-lxc-agent.tar.gz").toString())),
                Path.of(values.string("vmsDirectory", Path.of(data, "iaas-local").toString())),
                start, perVm, max,
                Path.of(values.string("javaHome", System.getProperty("java.home"))),
                values.string("agentJavaOptions", ""));
    }
}
