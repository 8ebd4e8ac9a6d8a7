package io.stratos.lxc.agent.runtime;

import io.stratos.lxc.api.StratosException;
import java.util.regex.Pattern;

/** Containers are named {@code stratos-<processId>}: the name alone lets a restarted agent re-adopt them. */
public final class ContainerNames {

    public static final String PREFIX = "stratos-";
    /** Safe as a file name, an LXC name, a Docker name and a cgroup name. */
    private static final Pattern PROCESS_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    private ContainerNames() {
    }

    public static boolean validProcessId(String processId) {
        return processId != null && PROCESS_ID.matcher(processId).matches();
    }

    public static String requireProcessId(String processId) {
        if (!validProcessId(processId)) {
            throw StratosException.invalid("processId", "process id '" + processId + "' is not usable as a container name",
                    "1 to 63 characters from A-Z a-z 0-9 _ . -, starting with a letter or digit");
        }
        return processId;
    }

    public static String containerName(String processId) {
        return PREFIX + requireProcessId(processId);
    }

    /** The process id in a container name, or null when the name is not one of ours. */
    public static String processId(String containerName) {
        if (containerName == null) {
            return null;
        }
        String name = containerName.startsWith("/") ? containerName.substring(1) : containerName;
        if (!name.startsWith(PREFIX)) {
            return null;
        }
        String id = name.substring(PREFIX.length());
        return validProcessId(id) ? id : null;
    }
}
