package io.stratos.lxc.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressesTest {

    private static InetAddress ip(String literal) {
        return IpLiteral.parse(literal).orElseThrow();
    }

    @Test
    void literalsParseAndNamesDoNot() {
        assertThat(IpLiteral.parse("10.214.0.2")).map(InetAddress::getHostAddress).contains("10.214.0.2");
        assertThat(IpLiteral.parse("[fd00::1]")).isPresent();
        assertThat(IpLiteral.parse("localhost")).isEmpty();
        assertThat(IpLiteral.parse("example.org")).isEmpty();
        assertThat(IpLiteral.parse("10.0.0.256")).isEmpty();
        assertThat(IpLiteral.parse("1.2.3")).isEmpty();
        assertThat(IpLiteral.parse("")).isEmpty();
        assertThat(IpLiteral.parse(null)).isEmpty();
        assertThat(IpLiteral.parse("::g")).isEmpty();
    }

    @Test
    void theWildcardMulticastAndBroadcastAreNoVmAddress() {
        assertThat(IpLiteral.notUnicast(ip("0.0.0.0"))).contains("wildcard");
        assertThat(IpLiteral.notUnicast(ip("::"))).contains("wildcard");
        assertThat(IpLiteral.notUnicast(ip("224.0.0.1"))).contains("multicast");
        assertThat(IpLiteral.notUnicast(ip("255.255.255.255"))).contains("broadcast");
        assertThat(IpLiteral.notUnicast(ip("10.214.0.2"))).isNull();
        assertThat(IpLiteral.notUnicast(ip("127.0.0.1"))).isNull();
    }

    @Test
    void endpointsBracketIpv6() {
        assertThat(IpLiteral.endpoint("10.0.0.1", 80)).isEqualTo("10.0.0.1:80");
        assertThat(IpLiteral.endpoint("fd00::1", 80)).isEqualTo("[fd00::1]:80");
    }

    @Test
    void aRangeHoldsItsAddressesOnly() {
        Cidr subnet = Cidr.parse("10.214.0.7/24");
        assertThat(subnet).hasToString("10.214.0.0/24");
        assertThat(subnet.contains(ip("10.214.0.200"))).isTrue();
        assertThat(subnet.contains(ip("10.214.1.1"))).isFalse();
        assertThat(subnet.contains(ip("fd00::1"))).isFalse();
        assertThat(Cidr.parse("10.1.2.3").contains(ip("10.1.2.3"))).isTrue();
        assertThat(Cidr.parse("10.1.2.3").contains(ip("10.1.2.4"))).isFalse();
        assertThat(Cidr.parse("10.0.0.0/9").contains(ip("10.127.255.255"))).isTrue();
        assertThat(Cidr.parse("10.0.0.0/9").contains(ip("10.128.0.0"))).isFalse();
        assertThat(Cidr.parse("fd00::/64").contains(ip("fd00::abcd"))).isTrue();
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("192.0.2.1"))).isTrue();
    }

    @Test
    void aRangeNumbersItsAddressesFromTheNetworkAddress() {
        Cidr subnet = Cidr.parse("10.214.0.0/23");
        assertThat(subnet.size()).isEqualTo(512);
        assertThat(subnet.address(1).getHostAddress()).isEqualTo("10.214.0.1");
        assertThat(subnet.address(257).getHostAddress()).isEqualTo("10.214.1.1");
        assertThat(Cidr.parse("fd00::/64").address(0x1ff).getHostAddress()).isEqualTo("fd00:0:0:0:0:0:0:1ff");
        assertThatThrownBy(() -> subnet.address(512)).hasMessageContaining("holds 512");
    }

    @Test
    void addressesAreWrittenAsRfc5952Says() {
        assertThat(IpLiteral.text(ip("fd00::5"))).isEqualTo("fd00::5");
        assertThat(IpLiteral.text(ip("::1"))).isEqualTo("::1");
        assertThat(IpLiteral.text(ip("::"))).isEqualTo("::");
        assertThat(IpLiteral.text(ip("2001:db8:0:1:0:0:0:1"))).isEqualTo("2001:db8:0:1::1");
        assertThat(IpLiteral.text(ip("2001:db8::1:0"))).isEqualTo("2001:db8::1:0");
        assertThat(IpLiteral.text(ip("10.0.0.1"))).isEqualTo("10.0.0.1");
        assertThat(Cidr.parse(" fd00::/8 ")).hasToString("fd00::/8");
        assertThat(Cidr.parse("10.240.0.1")).hasToString("10.240.0.1");
        assertThat(Cidr.of(ip("10.240.0.1")).prefix()).isEqualTo(32);
        assertThat(IpLiteral.require(" 10.0.0.1 ")).isEqualTo(ip("10.0.0.1"));
        assertThatThrownBy(() -> IpLiteral.require("controller.example")).hasMessageContaining("not an IP address");
    }

    @Test
    void aBadRangeSaysWhatIsWrong() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("0 to 32");
        assertThatThrownBy(() -> Cidr.parse("net/8")).hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x")).hasMessageContaining("prefix");
    }
}
