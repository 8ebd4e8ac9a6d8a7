package io.stratos.lxc.itests.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The users every distribution under test gets in {@code etc/users.properties} instead of the shipped
 * karaf/karaf (so no test passes by relying on the default password): an admin, two tenants, a router and a metrics scraper.
 */
public final class TestUsers {

    public static final String ADMIN = "karaf";
    public static final String ADMIN_PASSWORD = "it-admin-Secret-7";
    public static final String ALICE = "alice";
    public static final String ALICE_PASSWORD = "it-alice-Secret-7";
    public static final String BOB = "bob";
    public static final String BOB_PASSWORD = "it-bob-Secret-7";
    public static final String ROUTER = "edge1";
    public static final String ROUTER_PASSWORD = "it-edge1-Secret-7";
    public static final String METRICS = "prom";
    public static final String METRICS_PASSWORD = "it-prom-Secret-7";

    /** users.properties entries: key (unescaped) and value, in order. */
    public static final String[][] USERS_PROPERTIES = {
            {ADMIN, ADMIN_PASSWORD + ",_g_:admingroup"},
            {ALICE, ALICE_PASSWORD + ",_g_:tenantgroup"},
            {BOB, BOB_PASSWORD + ",_g_:tenantgroup"},
            {ROUTER, ROUTER_PASSWORD + ",_g_:routergroup"},
            {METRICS, METRICS_PASSWORD + ",_g_:metricsgroup"},
            // a stock Karaf ships every line of its users.properties commented out
            {"_g_:admingroup", "group,admin,manager,viewer,systembundles,ssh"},
            {"_g_:tenantgroup", "group,tenant"},
            {"_g_:routergroup", "group,router"},
            {"_g_:metricsgroup", "group,metrics"},
    };

    private TestUsers() {
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public static String admin() {
        return basic(ADMIN, ADMIN_PASSWORD);
    }
}
