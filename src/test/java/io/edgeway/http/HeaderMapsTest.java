package io.edgeway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.CharSequenceValueConverter;
import io.netty.handler.codec.DefaultHeaders;
import io.netty.handler.codec.DefaultHeadersImpl;
import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import io.vertx.core.http.impl.headers.HeadersAdaptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeaderMapsTest {

  @Test
  void seesTheNettyHeadersBehindBothHttp1Maps() {
    MultiMap vertxOwn = MultiMap.caseInsensitiveMultiMap();
    assertThat(HeaderMaps.nettyView(vertxOwn)).isSameAs(vertxOwn);
    // An upstream response's map: if a Vert.x upgrade renames the adapted field, this says so
    // (the copy still works, the slow way).
    DefaultHttpHeaders decoded = new DefaultHttpHeaders();
    assertThat(HeaderMaps.nettyView(new HeadersAdaptor(decoded))).isSameAs(decoded);
  }

  @Test
  void anHttp2MapHasNoView() {
    assertThat(HeaderMaps.nettyView(http2Map())).isNull();
  }

  @Test
  void copiesEveryLineInOrderWithRepeatedNames() {
    DefaultHttpHeaders decoded = new DefaultHttpHeaders();
    decoded.add(AsciiString.of("Content-Type"), "text/plain");
    decoded.add("Set-Cookie", "a=1");
    decoded.add("set-cookie", "b=2");
    decoded.add("Vary", "Accept");
    MultiMap out = MultiMap.caseInsensitiveMultiMap().add("X-Already", "kept");

    HeaderMaps.addAll(new HeadersAdaptor(decoded), out);

    assertThat(lines(out)).containsExactly("X-Already: kept", "Content-Type: text/plain", "Set-Cookie: a=1",
        "set-cookie: b=2", "Vary: Accept");
    assertThat(out.getAll("SET-COOKIE")).containsExactly("a=1", "b=2");
  }

  @Test
  void copiesFromAndToHttp2MapsTheOrdinaryWay() {
    MultiMap from = MultiMap.caseInsensitiveMultiMap().add("a", "1").add("b", "2").add("a", "3");
    MultiMap to = http2Map();
    HeaderMaps.addAll(from, to);
    assertThat(to.getAll("a")).containsExactly("1", "3");
    assertThat(to.get("b")).isEqualTo("2");

    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    HeaderMaps.addAll(http2Map().add("c", "4"), out);
    assertThat(lines(out)).containsExactly("c: 4");
  }

  /** How Vert.x holds HTTP/2 headers: Netty's generic headers, not its {@code HttpHeaders}. */
  private static MultiMap http2Map() {
    return new io.vertx.core.http.impl.headers.HttpHeaders(new DefaultHeadersImpl<CharSequence, CharSequence>(
        AsciiString.CASE_INSENSITIVE_HASHER, CharSequenceValueConverter.INSTANCE,
        DefaultHeaders.NameValidator.NOT_NULL));
  }

  private static List<String> lines(MultiMap headers) {
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, String> e : headers) {
      lines.add(e.getKey() + ": " + e.getValue());
    }
    return lines;
  }
}
