package io.edgeway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientIpResolverTest {

  private final ClientIpResolver resolver =
      new ClientIpResolver(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("127.0.0.1"), Cidr.parse("::1"), Cidr.parse("fd00::/8")));

  private static MultiMap xff(String... lines) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (String line : lines) {
      headers.add("X-Forwarded-For", line);
    }
    return headers;
  }

  @Test
  @DisplayName("D1/G1 an untrusted peer is the client; its X-Forwarded-For is ignored")
  void d1UntrustedPeerIgnoresXff() {
    assertThat(resolver.resolve("203.0.113.7", xff("6.6.6.6"))).isEqualTo("203.0.113.7");
    MultiMap spoofing = xff("6.6.6.6");
    spoofing.add("X-Real-IP", "6.6.6.6");
    spoofing.add("Forwarded", "for=6.6.6.6");
    assertThat(resolver.resolve("203.0.113.7", spoofing)).isEqualTo("203.0.113.7");
  }

  @Test
  @DisplayName("D2 behind trusted proxies: the rightmost untrusted address, never the leftmost")
  void d2RightmostUntrusted() {
    assertThat(resolver.resolve("10.0.0.1", xff("6.6.6.6, 198.51.100.9, 10.0.0.2"))).isEqualTo("198.51.100.9");
    assertThat(resolver.resolve("10.0.0.1", xff("198.51.100.9"))).isEqualTo("198.51.100.9");
    // several header lines form one list, in order
    assertThat(resolver.resolve("10.0.0.1", xff("6.6.6.6", "198.51.100.9, 10.0.0.3", "10.0.0.2"))).isEqualTo("198.51.100.9");
  }

  @Test
  @DisplayName("D2/G1 rotating the leftmost XFF entry does not change the client")
  void g1RotatingLeftmostDoesNotMatter() {
    for (int i = 1; i < 50; i++) {
      assertThat(resolver.resolve("10.0.0.1", xff("1.2.3." + i + ", 198.51.100.9"))).isEqualTo("198.51.100.9");
    }
  }

  @Test
  @DisplayName("D2 trusted peer without X-Forwarded-For, or with only trusted hops")
  void d2NoOrOnlyTrustedHops() {
    assertThat(resolver.resolve("10.0.0.1", xff())).isEqualTo("10.0.0.1");
    assertThat(resolver.resolve("10.0.0.1", xff("10.0.0.3, 10.0.0.2"))).isEqualTo("10.0.0.3");
  }

  @Test
  @DisplayName("D2 a malformed entry stops the walk at the last trusted hop")
  void d2MalformedStopsWalk() {
    assertThat(resolver.resolve("10.0.0.1", xff("198.51.100.9, unknown, 10.0.0.2"))).isEqualTo("10.0.0.2");
    assertThat(resolver.resolve("10.0.0.1", xff("198.51.100.9, unknown"))).isEqualTo("10.0.0.1");
    assertThat(resolver.resolve("10.0.0.1", xff("198.51.100.9,,10.0.0.2"))).isEqualTo("10.0.0.2");
    assertThat(resolver.resolve("10.0.0.1", xff(""))).isEqualTo("10.0.0.1");
    assertThat(resolver.resolve("10.0.0.1", xff("evil.example"))).isEqualTo("10.0.0.1");
    assertThat(resolver.resolve("10.0.0.1", xff("1.2.3.4:99999"))).isEqualTo("10.0.0.1");
  }

  @Test
  @DisplayName("D2 the walk is bounded: past the hop limit the last trusted hop is returned")
  void d2WalkIsBounded() {
    StringBuilder chain = new StringBuilder("198.51.100.9");
    for (int i = 0; i < ClientIpResolver.MAX_HOPS; i++) {
      chain.append(", 10.0.0.").append(i % 250 + 1);
    }
    assertThat(resolver.resolve("10.0.0.1", xff(chain.toString()))).startsWith("10.0.0.");
    StringBuilder shortChain = new StringBuilder("198.51.100.9");
    for (int i = 0; i < ClientIpResolver.MAX_HOPS - 1; i++) {
      shortChain.append(", 10.0.0.").append(i % 250 + 1);
    }
    assertThat(resolver.resolve("10.0.0.1", xff(shortChain.toString()))).isEqualTo("198.51.100.9");
  }

  @ParameterizedTest(name = "entry [{0}] -> {1}")
  @CsvSource({
    "198.51.100.9:4711, 198.51.100.9",
    "[2001:db8::1]:443, 2001:db8::1",
    "[2001:DB8:0:0:0:0:0:1], 2001:db8::1",
    "2001:db8::1, 2001:db8::1",
    "::ffff:198.51.100.9, 198.51.100.9",
  })
  void d2EntryForms(String entry, String expected) {
    assertThat(resolver.resolve("10.0.0.1", xff(entry))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "peer [{0}] -> {1}")
  @CsvSource({
    "127.0.0.1, 127.0.0.1",
    "::1, ::1",
    "0:0:0:0:0:0:0:1, ::1",
    "[::1], ::1",
    "2001:0DB8:0000:0000:0001:0000:0000:0001, 2001:db8::1:0:0:1",
    "::ffff:203.0.113.7, 203.0.113.7",
    "fe80::1%eth0, fe80::1",
  })
  void peerForms(String peer, String expected) {
    assertThat(resolver.resolve(peer, xff())).isEqualTo(expected);
  }

  @Test
  @DisplayName("IPv6 loopback peer in any textual form is trusted and walks XFF")
  void ipv6PeerTrusted() {
    for (String peer : new String[] {"::1", "0:0:0:0:0:0:0:1", "[::1]"}) {
      assertThat(resolver.isTrustedPeer(peer)).as(peer).isTrue();
      assertThat(resolver.resolve(peer, xff("198.51.100.9"))).as(peer).isEqualTo("198.51.100.9");
    }
    assertThat(resolver.isTrustedPeer("::ffff:10.1.2.3")).isTrue();
    assertThat(resolver.isTrustedPeer("203.0.113.7")).isFalse();
    assertThat(resolver.isTrustedPeer("not-an-ip")).isFalse();
  }

  @Test
  @DisplayName("a peer that is not an IP literal is returned as is and never trusted")
  void nonIpPeer() {
    assertThat(resolver.resolve("/var/run/edgeway.sock", xff("198.51.100.9"))).isEqualTo("/var/run/edgeway.sock");
  }

  @Test
  @DisplayName("no trusted proxies: XFF is never used")
  void noTrustedProxies() {
    ClientIpResolver none = new ClientIpResolver(List.of());
    assertThat(none.resolve("10.0.0.1", xff("198.51.100.9"))).isEqualTo("10.0.0.1");
  }

  @Test
  @DisplayName("RFC 5952 formatting")
  void rfc5952() {
    assertThat(IpAddressText.canonical("2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
    assertThat(IpAddressText.canonical("2001:db8:0:1:1:1:1:1")).isEqualTo("2001:db8:0:1:1:1:1:1");
    assertThat(IpAddressText.canonical("0:0:0:0:0:0:0:0")).isEqualTo("::");
    assertThat(IpAddressText.canonical("1:0:0:0:0:0:0:0")).isEqualTo("1::");
    assertThat(IpAddressText.canonical("1:0:0:2:0:0:0:3")).isEqualTo("1:0:0:2::3");
    assertThat(IpAddressText.canonical("ABCD:EF01:0:0:0:0:0:0")).isEqualTo("abcd:ef01::");
    assertThat(IpAddressText.canonical("nope")).isNull();
  }
}
