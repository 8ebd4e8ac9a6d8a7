package io.stratos.lxc.controller.internal;

import io.stratos.lxc.config.ConfigValues;
import java.util.Map;

/**
 * Several controllers on one database (PID {@code io.stratos.lxc.ha}); read without ever throwing.
 *
 * @param nodeName              this controller's name in the lease; empty: host name and HTTP port
 * @param url                   where this controller's REST API answers for the others; empty: on 127.0.0.1
 * @param leaseSeconds          how long a lease holds unrenewed: a standby takes over this long after the active
 *                              controller stops renewing (it renews every fifth of it)
 * @param standbyRefreshSeconds how often a standby reloads the state it serves reads from
 */
record LeaseSettings(String nodeName, String url, int leaseSeconds, int standbyRefreshSeconds) {

    static final String PID = "io.stratos.lxc.ha";

    static LeaseSettings from(Map<String, ?> properties) {
        ConfigValues values = ConfigValues.of(PID, properties);
        String name = values.string("nodeName", "").trim();
        if (!name.matches("[A-Za-z0-9._:@/-]{0,200}")) {
            name = values.problem("nodeName", name, "letters, digits and . _ : @ / -, at most 200", "");
        }
        String url = values.string("url", "").trim();
        if (!url.isEmpty() && !url.matches("https?://[^/\\s,]+(/[^\\s,]*)?")) {
            url = values.problem("url", url, "this controller's URL, such as http://10.0.0.5:8181/stratos", "");
        }
        return new LeaseSettings(name, url, values.integer("leaseSeconds", 5, 2, 300),
                values.integer("standbyRefreshSeconds", 2, 1, 3600));
    }

    long renewMillis() {
        return Math.max(200, leaseSeconds * 1000L / 5);
    }
}
