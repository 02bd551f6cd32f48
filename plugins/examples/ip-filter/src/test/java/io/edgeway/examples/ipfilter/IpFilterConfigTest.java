package io.edgeway.examples.ipfilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the compact constructor accepts and the exact message of what it rejects. */
class IpFilterConfigTest {

  @ParameterizedTest(name = "allow [10.0.0.0/8, {0}] -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      10.0.0.0/33       | allow[1]: 10.0.0.0/33 (expected: a CIDR such as 10.0.0.0/8 or 2001:db8::/32)
      10.0.0.1/8        | allow[1]: 10.0.0.1/8 (expected: a CIDR without host bits, such as 10.0.0.0/8)
      10.0.0.0/         | allow[1]: 10.0.0.0/ (expected: a CIDR such as 10.0.0.0/8 or 2001:db8::/32)
      10.0.0.0/08       | allow[1]: 10.0.0.0/08 (expected: a CIDR such as 10.0.0.0/8 or 2001:db8::/32)
      10.0.0.0/-1       | allow[1]: 10.0.0.0/-1 (expected: a CIDR such as 10.0.0.0/8 or 2001:db8::/32)
      10.0.0/8          | allow[1]: 10.0.0/8 (expected: a CIDR such as 10.0.0.0/8 or 2001:db8::/32)
      010.0.0.0/8       | allow[1]: 010.0.0.0/8 (expected: a CIDR such as 10.0.0.0/8 or 2001:db8::/32)
      256.0.0.0/8       | allow[1]: 256.0.0.0/8 (expected: a CIDR such as 10.0.0.0/8 or 2001:db8::/32)
      example.com       | allow[1]: example.com (expected: a CIDR such as 10.0.0.0/8 or 2001:db8::/32)
      localhost/32      | allow[1]: localhost/32 (expected: a CIDR such as 10.0.0.0/8 or 2001:db8::/32)
      ' 10.0.0.0/8'     | allow[1]:  10.0.0.0/8 (expected: a CIDR such as 10.0.0.0/8 or 2001:db8::/32)
      2001:db8::/129    | allow[1]: 2001:db8::/129 (expected: a CIDR such as 10.0.0.0/8 or 2001:db8::/32)
      2001:db8::1/32    | allow[1]: 2001:db8::1/32 (expected: a CIDR without host bits, such as 2001:db8::/32)
      2001:db8:::/32    | allow[1]: 2001:db8:::/32 (expected: a CIDR such as 10.0.0.0/8 or 2001:db8::/32)
      [2001:db8::]/32   | allow[1]: [2001:db8::]/32 (expected: a CIDR such as 10.0.0.0/8 or 2001:db8::/32)
      fe80::1%eth0      | allow[1]: fe80::1%eth0 (expected: a CIDR such as 10.0.0.0/8 or 2001:db8::/32)
      """)
  void rejectsABadBlockNamingItsIndex(String bad, String message) {
    assertThatThrownBy(() -> new IpFilterConfig(List.of("10.0.0.0/8", bad), null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void rejectsABadDenyBlockNamingItsIndex() {
    assertThatThrownBy(() -> new IpFilterConfig(null, List.of("::1/128", "::1/128", "1.2.3.4/40"), null))
        .hasMessage("deny[2]: 1.2.3.4/40 (expected: a CIDR such as 10.0.0.0/8 or 2001:db8::/32)");
  }

  @Test
  void rejectsAFilterWithNothingToDo() {
    assertThatThrownBy(() -> new IpFilterConfig(List.of(), null, null))
        .hasMessage("allow: [] (expected: at least one CIDR in allow or deny)");
  }

  @Test
  void rejectsAStatusOutsideTheClientErrors() {
    assertThatThrownBy(() -> new IpFilterConfig(List.of("10.0.0.0/8"), null, 399))
        .hasMessage("status: 399 (expected: 400..499)");
    assertThatThrownBy(() -> new IpFilterConfig(List.of("10.0.0.0/8"), null, 500))
        .hasMessage("status: 500 (expected: 400..499)");
  }

  @Test
  void appliesDefaultsAndKeepsEdgePrefixes() {
    IpFilterConfig config = new IpFilterConfig(List.of("0.0.0.0/0", "192.0.2.1/32", "::/0", "2001:db8::1/128"),
        null, null);
    assertThat(config.status()).isEqualTo(403);
    assertThat(config.deny()).isEmpty();
    assertThat(config.allowBlocks()).extracting(Cidr::toString)
        .containsExactly("0.0.0.0/0", "192.0.2.1/32", "::/0", "2001:db8::1/128");
  }

  @Test
  void anIpv4MappedBlockBecomesTheIpv4BlockItNames() {
    assertThat(Cidr.parse("::ffff:192.0.2.0/120")).isEqualTo(Cidr.parse("192.0.2.0/24"));
    assertThat(Cidr.parse("::ffff:c000:0200/120")).isEqualTo(Cidr.parse("192.0.2.0/24"));
    assertThat(Cidr.parse("::ffff:0:0/96")).isEqualTo(Cidr.parse("0.0.0.0/0"));
  }
}
