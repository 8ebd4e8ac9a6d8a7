package io.stratos.lxc.agent.internal.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressRangeTest {

    private static InetAddress ip(String literal) {
        return AddressRange.literal(literal);
    }

    @Test
    void aRangeHoldsTheAddressesUnderItsPrefixOnly() {
        AddressRange vms = AddressRange.parse("10.240.0.0/16");
        assertThat(vms.contains(ip("10.240.7.9"))).isTrue();
        assertThat(vms.contains(ip("10.241.0.1"))).isFalse();
        assertThat(AddressRange.parse("10.240.3.77/24").toString()).isEqualTo("10.240.3.0/24");
        assertThat(AddressRange.parse("0.0.0.0/0").contains(ip("203.0.113.9"))).isTrue();
    }

    @Test
    void aSingleAddressIsItsOwnRange() {
        AddressRange router = AddressRange.parse(" 10.240.0.1 ");
        assertThat(router.prefix()).isEqualTo(32);
        assertThat(router.contains(ip("10.240.0.1"))).isTrue();
        assertThat(router.contains(ip("10.240.0.2"))).isFalse();
        assertThat(router).hasToString("10.240.0.1");
    }

    @Test
    void ipv6RangesNeverMatchIpv4Addresses() {
        AddressRange ula = AddressRange.parse("fd00::/8");
        assertThat(ula.contains(ip("fd12:3456::1"))).isTrue();
        assertThat(ula.contains(ip("fe80::1"))).isFalse();
        assertThat(ula.contains(ip("10.0.0.1"))).isFalse();
        assertThat(AddressRange.parse("10.0.0.0/8").contains(ip("::1"))).isFalse();
        assertThat(AddressRange.hostForUrl(ip("fd00::5"))).isEqualTo("[fd00::5]");
    }

    @Test
    void namesAndBadPrefixesAreRefusedWithoutALookup() {
        assertThatThrownBy(() -> AddressRange.parse("controller.example")).hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> AddressRange.parse("10.0.0.0/33")).hasMessageContaining("prefix length from 0 to 32");
        assertThatThrownBy(() -> AddressRange.parse("10.0.0.0/x")).hasMessageContaining("prefix length");
        assertThatThrownBy(() -> AddressRange.parse("10.1.2")).hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> AddressRange.parse("")).hasMessageContaining("not an IP address");
    }
}
