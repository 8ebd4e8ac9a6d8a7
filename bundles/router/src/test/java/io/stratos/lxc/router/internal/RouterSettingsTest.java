package io.stratos.lxc.router.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.config.ConfigValues;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterSettingsTest {

    @Test
    void defaults() {
        RouterSettings settings = RouterSettings.defaults();
        assertThat(settings.port()).isEqualTo(8280);
        assertThat(settings.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(settings.domain()).isEqualTo("stratos.local");
        assertThat(settings.endpoint(8280)).isEqualTo("127.0.0.1:8280");
    }

    @Test
    void everyBadValueIsNamed() {
        ConfigValues values = ConfigValues.of(RouterSettings.PID, Map.of("port", "70000", "bindAddress", "300.1.1.1",
                "domain", "no_underscores", "connectTimeoutMillis", "0", "requestTimeoutSeconds", "x", "ioThreads", "-1"));
        RouterSettings settings = RouterSettings.from(values);
        assertThat(values.problems()).extracting(p -> p.key()).containsExactly("port", "bindAddress", "domain",
                "connectTimeoutMillis", "requestTimeoutSeconds", "ioThreads");
        assertThat(settings).isEqualTo(RouterSettings.defaults());
    }

    @Test
    void defaultsOfTheNettyRouter() {
        RouterSettings settings = RouterSettings.defaults();
        assertThat(settings.ioThreads()).isZero();
        assertThat(settings.headerTimeoutSeconds()).isEqualTo(10);
        assertThat(settings.idleTimeoutSeconds()).isEqualTo(60);
        assertThat(settings.maxHeaderBytes()).isEqualTo(16_384);
        assertThat(settings.trustedProxies()).isEmpty();
        assertThat(settings.drainTimeoutSeconds()).isEqualTo(30);
    }

    @Test
    void anOldCfgWithWorkerThreadsIsNoError() {
        ConfigValues values = ConfigValues.of(RouterSettings.PID, Map.of("workerThreads", "64"));
        assertThat(RouterSettings.from(values)).isEqualTo(RouterSettings.defaults());
        assertThat(values.valid()).isTrue();
    }

    @Test
    void readsTrustedProxiesAndNamesBadNewValues() {
        ConfigValues good = ConfigValues.of(RouterSettings.PID, Map.of("trustedProxies", " 10.0.0.0/8, ::1 ,192.168.1.7"));
        RouterSettings settings = RouterSettings.from(good);
        assertThat(good.valid()).isTrue();
        assertThat(settings.trustedProxies()).hasSize(3);
        assertThat(settings.trusted(java.net.InetAddress.getLoopbackAddress())).isFalse();
        ConfigValues bad = ConfigValues.of(RouterSettings.PID, Map.of("trustedProxies", "10.0.0.0/33", "headerTimeoutSeconds", "0",
                "idleTimeoutSeconds", "x", "maxHeaderBytes", "10", "drainTimeoutSeconds", "-1", "ioThreads", "1000"));
        assertThat(RouterSettings.from(bad)).isEqualTo(RouterSettings.defaults());
        assertThat(bad.problems()).extracting(p -> p.key()).containsExactlyInAnyOrder("trustedProxies", "headerTimeoutSeconds",
                "idleTimeoutSeconds", "maxHeaderBytes", "drainTimeoutSeconds", "ioThreads");
    }

    @Test
    void acceptsIpv6AndHostNamesAndALeadingDotInTheDomain() {
        ConfigValues values = ConfigValues.of(RouterSettings.PID, Map.of("bindAddress", "::1", "domain", ".Apps.Example.COM"));
        RouterSettings settings = RouterSettings.from(values);
        assertThat(values.valid()).isTrue();
        assertThat(settings.domain()).isEqualTo("apps.example.com");
        assertThat(settings.endpoint(80)).isEqualTo("[::1]:80");
    }

    @Test
    void aRouterApartFollowsTheControllerAtItsUrlAsItsRouterUser() {
        ConfigValues values = ConfigValues.of(RouterSettings.PID, Map.of("controllerUrl", "http://10.0.0.5:8181/",
                "controllerUser", "edge1", "controllerPassword", "s3cret"));
        RouterSettings settings = RouterSettings.from(values);

        assertThat(values.valid()).isTrue();
        assertThat(settings.apart()).isTrue();
        assertThat(settings.controllerUrl()).hasToString("http://10.0.0.5:8181");
        assertThat(settings.controllerAuthorization()).isEqualTo("Basic ZWRnZTE6czNjcmV0");
        assertThat(settings.toString()).as("settings are logged").doesNotContain("ZWRnZTE6czNjcmV0").contains("(hidden)");
        assertThat(RouterSettings.defaults().apart()).as("by default the controller is in the same Karaf").isFalse();
    }

    @Test
    void aControllerUrlThatIsNoOriginOrHasNoUserIsNamed() {
        ConfigValues notAUrl = ConfigValues.of(RouterSettings.PID, Map.of("controllerUrl", "ftp://x", "controllerUser", "edge1",
                "controllerPassword", "p"));
        ConfigValues noUser = ConfigValues.of(RouterSettings.PID, Map.of("controllerUrl", "http://10.0.0.5:8181"));

        assertThat(RouterSettings.from(notAUrl).apart()).isFalse();
        assertThat(notAUrl.problems()).extracting(p -> p.key()).containsExactly("controllerUrl");
        assertThat(RouterSettings.from(noUser).apart()).isFalse();
        assertThat(noUser.problems()).extracting(p -> p.key()).containsExactly("controllerUser");
    }
}
