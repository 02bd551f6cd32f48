package io.edgeway.server;

import io.edgeway.http.HeaderSyntax;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.HostAndPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What differs for an HTTP/2 request on its way through the same path as an HTTP/1.1 one. */
final class Http2Requests {
  private static final String[] TRAILERS = {"trailers"};

  private Http2Requests() {}

  /**
   * Whether the request may carry a body. HTTP/2 says so with END_STREAM, which Vert.x delivers
   * only after the request handler ran; a missing {@code content-length} is no answer either
   * (optional in HTTP/2). So every request but one declaring length 0 gets a body stream, which
   * simply ends at once for a GET; the upstream call announces framing only once the first byte
   * arrives, so a bodiless request reaches an HTTP/1.1 upstream without {@code chunked}.
   */
  static boolean mayHaveBody(MultiMap headers) {
    return !"0".equals(headers.get(HttpHeaders.CONTENT_LENGTH));
  }

  /**
   * Removes any pseudo-header left in the map and sets {@code Host} from {@code :authority} when
   * the client sent no {@code host} (Vert.x already refused the two when they differ).
   */
  static void normalize(MultiMap headers, HostAndPort authority) {
    List<String> pseudo = null;
    for (Map.Entry<String, String> header : headers) {
      if (header.getKey().startsWith(":")) {
        if (pseudo == null) {
          pseudo = new ArrayList<>(4);
        }
        pseudo.add(header.getKey());
      }
    }
    if (pseudo != null) {
      pseudo.forEach(headers::remove);
    }
    if (authority != null && !headers.contains(HttpHeaders.HOST)) {
      headers.set(HttpHeaders.HOST, authority.toString());
    }
  }

  /** True when the client sent {@code te: trailers} (the only TE an HTTP/2 peer may send). */
  static boolean asksForTrailers(MultiMap headers) {
    String te = headers.get("te");
    return te != null && HeaderSyntax.listContainsAny(te, TRAILERS);
  }
}
