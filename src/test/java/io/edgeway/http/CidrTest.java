package io.edgeway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

  // Literal addresses only: getByName on an IP literal never consults DNS.
  private static byte[] ip(String literal) throws Exception {
    return InetAddress.getByName(literal).getAddress();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "10.0.0.0/8|10.0.0.0/8",
      "10.1.2.3/8|10.0.0.0/8",
      "192.168.1.7|192.168.1.7/32",
      "0.0.0.0/0|0.0.0.0/0",
      "fd00::/8|fd00::/8",
      "::1|::1/128",
      "::|::/128",
      "2001:db8:0:0:1:0:0:1/128|2001:db8::1:0:0:1/128",
      "2001:DB8::/32|2001:db8::/32",
      "::ffff:10.0.0.1/128|::ffff:a00:1/128",
      "1:2:3:4:5:6:7::|1:2:3:4:5:6:7:0/128"})
  void parsesAndPrintsCanonically(String text, String canonical) {
    assertThat(Cidr.parse(text)).hasToString(canonical);
    assertThat(Cidr.parse(canonical)).isEqualTo(Cidr.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10.0.0", "10.0.0.0.0", "256.0.0.1", "010.0.0.1", "10.0.0.1/", "10.0.0.1/x", "10.0.0.1/-1",
      "example.com", ".:1", "1:::2", "1::2::3", ":1::", "1:2:3:4:5:6:7:8:9", "12345::", "fe80::1%eth0", "[::1]",
      "::1.2.3", "1.2.3.4:80", " 10.0.0.1", "١.٢.٣.٤"})
  void rejectsAnythingButALiteral(String text) {
    assertThatThrownBy(() -> Cidr.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(text + " (expected: an IP network such as 10.0.0.0/8, 192.168.1.7 or fd00::/8)");
  }

  @Test
  void prefixLengthIsCheckedPerFamily() {
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessage("10.0.0.0/33 (expected: a prefix length from 0 to 32)");
    assertThatThrownBy(() -> Cidr.parse("::/129")).hasMessage("::/129 (expected: a prefix length from 0 to 128)");
  }

  @Test
  void containsIpv4() throws Exception {
    Cidr net = Cidr.parse("10.0.0.0/8");
    assertThat(net.contains(ip("10.255.1.2"))).isTrue();
    assertThat(net.contains(ip("11.0.0.0"))).isFalse();
    assertThat(net.contains(ip("::ffff:10.1.1.1"))).isTrue();
    assertThat(net.contains(ip("::10.1.1.1"))).isFalse();
    assertThat(net.contains(null)).isFalse();
    assertThat(net.contains(new byte[5])).isFalse();
    Cidr odd = Cidr.parse("192.168.1.128/25");
    assertThat(odd.contains(ip("192.168.1.200"))).isTrue();
    assertThat(odd.contains(ip("192.168.1.127"))).isFalse();
    assertThat(Cidr.parse("0.0.0.0/0").contains(ip("203.0.113.9"))).isTrue();
    assertThat(Cidr.parse("127.0.0.1").contains(ip("127.0.0.1"))).isTrue();
    assertThat(Cidr.parse("127.0.0.1").contains(ip("127.0.0.2"))).isFalse();
  }

  @Test
  void containsIpv6() throws Exception {
    Cidr net = Cidr.parse("2001:db8::/33");
    assertThat(net.contains(ip("2001:db8:7fff::1"))).isTrue();
    assertThat(net.contains(ip("2001:db8:8000::1"))).isFalse();
    assertThat(net.contains(ip("10.0.0.1"))).isFalse();
    Cidr wide = Cidr.parse("2001:db8::1:0:0:0/80");
    assertThat(wide.contains(ip("2001:db8::1:ffff:0:0"))).isTrue();
    assertThat(wide.contains(ip("2001:db8::2:0:0:0"))).isFalse();
    Cidr mapped = Cidr.parse("::ffff:0.0.0.0/96");
    assertThat(mapped.contains(ip("192.0.2.1"))).isTrue();
    assertThat(Cidr.parse("::1").contains(ip("::1"))).isTrue();
    assertThat(Cidr.parse("::/0").contains(ip("fe80::1"))).isTrue();
  }

  @Test
  void hostBitsAreClearedSoEqualNetworksAreEqual() {
    assertThat(new Cidr(0, 0x0A01_0203L, 8, false)).isEqualTo(Cidr.parse("10.0.0.0/8"));
    assertThatThrownBy(() -> new Cidr(0, 0, 33, false)).hasMessage("/33 (expected: a prefix length from 0 to 32)");
  }
}
