package io.edgeway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import io.vertx.core.http.impl.headers.HeadersAdaptor;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HopByHopHeadersTest {

  private static MultiMap headers(String... nameValuePairs) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < nameValuePairs.length; i += 2) {
      headers.add(nameValuePairs[i], nameValuePairs[i + 1]);
    }
    return headers;
  }

  @Test
  @DisplayName("C1 Connection and every header it names are removed")
  void c1ConnectionNamedHeadersRemoved() {
    MultiMap h = headers(
        "Connection", "keep-alive, X-Internal-Auth",
        "X-Internal-Auth", "secret",
        "connection", " x-other ,close",
        "X-Other", "1",
        "X-Kept", "2");
    HopByHopHeaders.stripRequest(h);
    assertThat(h.names()).containsExactly("X-Kept");
  }

  @Test
  @DisplayName("C2/C3/C4 Keep-Alive, TE, Trailer, Upgrade, Proxy-Connection, Transfer-Encoding, Proxy-Authorization removed")
  void c2c3c4FixedHopByHopRemovedFromRequests() {
    MultiMap h = headers(
        "Keep-Alive", "timeout=5", "TE", "trailers", "Trailer", "X-Sum", "Upgrade", "websocket",
        "Proxy-Connection", "keep-alive", "Transfer-Encoding", "chunked", "Proxy-Authorization", "Basic x",
        "HTTP2-Settings", "AAA", "Accept", "*/*", "Authorization", "Bearer t");
    HopByHopHeaders.stripRequest(h);
    assertThat(h.names()).containsExactlyInAnyOrder("Accept", "Authorization");
  }

  @Test
  @DisplayName("D1/D3 client-written forwarding headers removed from requests, X-Forwarded-For kept for the resolver")
  void d1d3ClientForwardingHeadersRemoved() {
    MultiMap h = headers(
        "X-Forwarded-For", "6.6.6.6", "X-Real-IP", "6.6.6.6", "Forwarded", "for=6.6.6.6",
        "X-Forwarded-Host", "evil.example", "X-Forwarded-Proto", "https", "X-Forwarded-Port", "443",
        "X-Forwarded-Prefix", "/admin", "X-Original-URL", "/admin", "X-Rewrite-URL", "/admin", "Host", "a");
    HopByHopHeaders.stripRequest(h);
    assertThat(h.names()).containsExactlyInAnyOrder("X-Forwarded-For", "Host");
  }

  @Test
  @DisplayName("C6 the hop-by-hop set and Connection-named headers are removed from responses")
  void c6ResponseStripped() {
    MultiMap h = headers(
        "Connection", "close, X-Backend-Secret", "X-Backend-Secret", "s", "Keep-Alive", "timeout=5",
        "Transfer-Encoding", "chunked", "Upgrade", "h2c", "Trailer", "X", "Proxy-Authenticate", "Basic",
        "Proxy-Connection", "close", "TE", "trailers", "Content-Type", "text/plain", "Set-Cookie", "a=b",
        "X-Forwarded-Host", "kept-on-responses");
    HopByHopHeaders.stripResponse(h);
    assertThat(h.names()).containsExactlyInAnyOrder("Content-Type", "Set-Cookie", "X-Forwarded-Host");
  }

  @Test
  @DisplayName("C6 an upstream's response as Netty decoded it (names as AsciiString) is stripped alike")
  void c6DecodedResponseStripped() {
    DefaultHttpHeaders decoded = new DefaultHttpHeaders();
    decoded.add(AsciiString.of("Connection"), "keep-alive, X-Backend-Secret");
    decoded.add(AsciiString.of("x-backend-secret"), "s");
    decoded.add(AsciiString.of("KEEP-ALIVE"), "timeout=5");
    decoded.add(AsciiString.of("Transfer-Encoding"), "chunked");
    decoded.add(AsciiString.of("Proxy-Authenticate"), "Basic");
    decoded.add(AsciiString.of("Content-Type"), "text/plain");
    decoded.add(AsciiString.of("Set-Cookie"), "a=b");
    decoded.add(AsciiString.of("Set-Cookie"), "c=d");
    MultiMap h = new HeadersAdaptor(decoded);
    HopByHopHeaders.stripResponse(h);
    assertThat(h.names()).containsExactlyInAnyOrder("Content-Type", "Set-Cookie");
    assertThat(h.getAll("set-cookie")).containsExactly("a=b", "c=d");
  }

  @Test
  @DisplayName("C1 a malformed name in Connection is ignored, not used to remove anything")
  void malformedConnectionTokenIgnored() {
    MultiMap h = headers("Connection", "a b, , ,", "A", "1");
    HopByHopHeaders.stripRequest(h);
    assertThat(h.names()).containsExactly("A");
  }

  @Test
  @DisplayName("C6 WebSocket variant keeps Connection: Upgrade and Upgrade: websocket, strips the rest")
  void webSocketVariantKeepsHandshake() {
    MultiMap request = headers(
        "Connection", "keep-alive, Upgrade, X-Secret", "Upgrade", "websocket", "X-Secret", "s",
        "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version", "13", "Keep-Alive", "5",
        "X-Forwarded-Host", "evil");
    HopByHopHeaders.stripWebSocketRequest(request);
    assertThat(request.names())
        .containsExactlyInAnyOrder("Connection", "Upgrade", "Sec-WebSocket-Key", "Sec-WebSocket-Version");
    assertThat(request.getAll("Connection")).containsExactly("Upgrade");
    assertThat(request.getAll("Upgrade")).containsExactly("websocket");

    MultiMap response = headers("Connection", "Upgrade", "Upgrade", "websocket", "Sec-WebSocket-Accept", "x",
        "Proxy-Authenticate", "y");
    HopByHopHeaders.stripWebSocketResponse(response);
    assertThat(response.names()).containsExactlyInAnyOrder("Connection", "Upgrade", "Sec-WebSocket-Accept");
  }

  @Test
  @DisplayName("A34 WebSocket variant strips an upgrade that is not a websocket handshake")
  void webSocketVariantStripsOtherUpgrades() {
    MultiMap h = headers("Connection", "Upgrade", "Upgrade", "h2c", "A", "1");
    HopByHopHeaders.stripWebSocketRequest(h);
    assertThat(h.names()).containsExactly("A");
    MultiMap plain = headers("Connection", "Upgrade", "Upgrade", "websocket", "A", "1");
    HopByHopHeaders.stripRequest(plain);
    assertThat(plain.names()).containsExactly("A");
  }
}
