package io.stratos.lxc.iaas.jclouds;

import io.stratos.lxc.api.iaas.VmSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a VM's agent is started with: the {@code STRATOS_AGENT_*} environment (docker provider) and the
 * cloud-init script rendered from its template (every other provider). Both carry the same values.
 */
final class AgentLaunch {

    /** The placeholders a user-data template may use, as {@code ${name}}. */
    static final List<String> PLACEHOLDERS = List.of("controllerUrl", "joinToken", "vmId", "partition", "cpuMillis",
            "memoryMiB", "portRangeStart", "portRangeEnd", "agentDistributionUrl", "agentEnvironment");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z]+)}");

    private AgentLaunch() {
    }

    /** Placeholder values for one VM. */
    static Map<String, String> values(VmSpec spec, JcloudsSettings settings, int portRangeStart) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("controllerUrl", spec.controllerUrl());
        values.put("joinToken", spec.joinToken());
        values.put("vmId", spec.vmId());
        values.put("partition", spec.partition());
        values.put("cpuMillis", String.valueOf(spec.capacity().cpuMillis()));
        values.put("memoryMiB", String.valueOf(spec.capacity().memoryMiB()));
        values.put("portRangeStart", String.valueOf(portRangeStart));
        values.put("portRangeEnd", String.valueOf(portRangeStart + settings.portsPerVm() - 1));
        values.put("agentDistributionUrl", settings.agentDistributionUrl());
        StringBuilder extra = new StringBuilder();
        settings.agentEnvironment().forEach((k, v) -> extra.append(k).append('=').append(v).append('\n'));
        values.put("agentEnvironment", extra.toString().trim());
        return values;
    }

    /** The agent's environment, as the local adapter sets it for its processes. */
    static List<String> environment(Map<String, String> values, JcloudsSettings settings) {
        List<String> env = new ArrayList<>();
        env.add("STRATOS_AGENT_CONTROLLER_URL=" + values.get("controllerUrl"));
        env.add("STRATOS_AGENT_JOIN_TOKEN=" + values.get("joinToken"));
        env.add("STRATOS_AGENT_VM_ID=" + values.get("vmId"));
        env.add("STRATOS_AGENT_PARTITION=" + values.get("partition"));
        env.add("STRATOS_AGENT_CPU_MILLIS=" + values.get("cpuMillis"));
        env.add("STRATOS_AGENT_MEMORY_MIB=" + values.get("memoryMiB"));
        env.add("STRATOS_AGENT_PORT_RANGE_START=" + values.get("portRangeStart"));
        env.add("STRATOS_AGENT_PORT_RANGE_END=" + values.get("portRangeEnd"));
        env.add("STRATOS_AGENT_DATA_DIR=/var/lib/stratos-agent");
        settings.agentEnvironment().forEach((k, v) -> env.add(k + "=" + v));
        return env;
    }

    /**
     * Replaces the known {@code ${name}} placeholders; anything else (shell variables) stays as written.
     * Values are escaped for a single-quoted shell string, so templates put placeholders inside '...'.
     */
    static String render(String template, Map<String, String> values) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            String replacement = value == null ? matcher.group() : value.replace("'", "'\\''");
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
