package io.edgeway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ForwardedHeadersTest {

  @Test
  @DisplayName("D1 untrusted peer: client X-Forwarded-For replaced by the peer; Forwarded written")
  void d1UntrustedPeerReplaces() {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    h.add("X-Forwarded-For", "6.6.6.6");
    HopByHopHeaders.stripRequest(h);
    ForwardedHeaders.apply(h, "203.0.113.7", "203.0.113.7", false, "https", "api.example");
    assertThat(h.getAll("X-Forwarded-For")).containsExactly("203.0.113.7");
    assertThat(h.get("X-Forwarded-Proto")).isEqualTo("https");
    assertThat(h.get("X-Forwarded-Host")).isEqualTo("api.example");
    assertThat(h.getAll("Forwarded")).containsExactly("for=203.0.113.7;proto=https;host=api.example");
  }

  @Test
  @DisplayName("D2 trusted peer: the peer is appended to the incoming chain (all lines joined)")
  void d2TrustedPeerAppends() {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    h.add("X-Forwarded-For", "198.51.100.9, 10.0.0.3");
    h.add("X-Forwarded-For", "10.0.0.2");
    ForwardedHeaders.apply(h, "198.51.100.9", "10.0.0.1", true, "http", "a");
    assertThat(h.getAll("X-Forwarded-For")).containsExactly("198.51.100.9, 10.0.0.3, 10.0.0.2, 10.0.0.1");
    assertThat(h.get("Forwarded")).isEqualTo("for=198.51.100.9;proto=http;host=a");

    MultiMap empty = MultiMap.caseInsensitiveMultiMap();
    ForwardedHeaders.apply(empty, "10.0.0.1", "10.0.0.1", true, "http", "a");
    assertThat(empty.get("X-Forwarded-For")).isEqualTo("10.0.0.1");
  }

  @Test
  @DisplayName("D3 X-Forwarded-Host/Proto are overwritten; no Host means none forwarded")
  void d3Overwritten() {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    h.add("X-Forwarded-Host", "evil.example");
    h.add("X-Forwarded-Proto", "gopher");
    ForwardedHeaders.apply(h, "203.0.113.7", "203.0.113.7", false, "http", null);
    assertThat(h.contains("X-Forwarded-Host")).isFalse();
    assertThat(h.getAll("X-Forwarded-Proto")).containsExactly("http");
    assertThat(h.get("Forwarded")).isEqualTo("for=203.0.113.7;proto=http");
  }

  @Test
  @DisplayName("RFC 7239: IPv6 quoted and bracketed, host with a port quoted, non-IP client is unknown")
  void rfc7239Quoting() {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    ForwardedHeaders.apply(h, "0:0:0:0:0:0:0:1", "0:0:0:0:0:0:0:1", false, "https", "api.example:8443");
    assertThat(h.get("Forwarded")).isEqualTo("for=\"[::1]\";proto=https;host=\"api.example:8443\"");
    assertThat(h.get("X-Forwarded-For")).isEqualTo("::1");
    assertThat(ForwardedHeaders.forwardedElement("[2001:db8::1]", "http", "[2001:db8::1]:80"))
        .isEqualTo("for=\"[2001:db8::1]\";proto=http;host=\"[2001:db8::1]:80\"");
    assertThat(ForwardedHeaders.forwardedElement("/unix.sock", "http", "a")).isEqualTo("for=unknown;proto=http;host=a");
    assertThat(ForwardedHeaders.forwardedElement("1.2.3.4", "http", "a\"b\\c"))
        .isEqualTo("for=1.2.3.4;proto=http;host=\"a\\\"b\\\\c\"");
  }
}
