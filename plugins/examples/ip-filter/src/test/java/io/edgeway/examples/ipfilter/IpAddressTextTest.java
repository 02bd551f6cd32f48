package io.edgeway.examples.ipfilter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The address parsers against the RFC 4291 text forms, and what they must refuse. */
class IpAddressTextTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      ::                                      | ::
      ::1                                     | ::1
      1::                                     | 1::
      2001:db8::1                             | 2001:db8::1
      2001:0DB8:0000:0000:0000:0000:0000:0001 | 2001:db8::1
      2001:db8:0:0:1:0:0:1                    | 2001:db8::1:0:0:1
      2001:db8:1:2:3:4:5:6                    | 2001:db8:1:2:3:4:5:6
      ::ffff:192.0.2.1                        | ::ffff:c000:201
      64:ff9b::192.0.2.33                     | 64:ff9b::c000:221
      1:2:3:4:5:6:1.2.3.4                     | 1:2:3:4:5:6:102:304
      """)
  void parsesIpv6(String text, String canonical) {
    long[] out = new long[2];
    assertThat(IpAddressText.parseIpv6(text, false, out)).isTrue();
    assertThat(IpAddressText.formatIpv6(out[0], out[1])).isEqualTo(canonical);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ":", ":::", "1:2", "1::2::3", ":1::", "1:", "12345::", "g::1", "1:2:3:4:5:6:7:8:9",
      "1:2:3:4:5:6:7::8:9", "::1.2.3", "::1.2.3.4.5", "1:2:3:4:5:6:7:1.2.3.4", "::01.2.3.4", "[::1]", "::1%eth0",
      "10.0.0.1"})
  void refusesWhatIsNotAStrictIpv6Literal(String text) {
    assertThat(IpAddressText.parseIpv6(text, false, new long[2])).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1", "1.2.3", "1.2.3.4.", ".1.2.3.4", "1..2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.256",
      "1.2.3.4 ", "+1.2.3.4", "1.2.3.0x4", "1111.2.3.4", "localhost"})
  void refusesWhatIsNotADottedQuad(String text) {
    assertThat(IpAddressText.parseIpv4(text, 0, text.length())).isEqualTo(IpAddressText.NOT_IPV4);
  }

  @ParameterizedTest
  @CsvSource({"0.0.0.0,0", "255.255.255.255,4294967295", "10.1.2.3,167838211", "192.0.2.0,3221225984"})
  void parsesDottedQuads(String text, long value) {
    assertThat(IpAddressText.parseIpv4(text, 0, text.length())).isEqualTo(value);
    assertThat(IpAddressText.formatIpv4(value)).isEqualTo(text);
  }
}
