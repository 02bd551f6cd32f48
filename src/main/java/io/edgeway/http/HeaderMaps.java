package io.edgeway.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.vertx.core.MultiMap;
import io.vertx.core.http.impl.headers.HeadersAdaptor;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Iterator;
import java.util.Map;

/**
 * Header maps walked as Netty holds them, without a {@code String} per name and value.
 *
 * <p>Walking a Vert.x {@link MultiMap} as {@code Map.Entry<String, String>} allocates per header
 * and per pass: an entry wrapper, and for a map Netty decoded (an upstream's response) a new
 * {@code String} for each name and value. A proxied request walks each map several times (hop-by-hop
 * stripping, the copy into the outgoing request or response): walking Netty's entries instead took
 * what a baseline request allocates from 10.07 to 9.59 KB (loadtest/profiles/p99.md).
 *
 * <p>Both maps Vert.x uses for HTTP/1.1 are Netty {@link HttpHeaders} underneath: its own
 * {@code Http1xHeaders} is one, and an upstream response's map adapts one ({@link HeadersAdaptor});
 * their {@link HttpHeaders#iteratorCharSequence()} hands out the stored entries themselves. Any
 * other map (HTTP/2, a filter's own) is walked the ordinary way.
 */
public final class HeaderMaps {
  /** {@link HeadersAdaptor}'s Netty headers: Vert.x keeps them private, and has no accessor. */
  private static final VarHandle ADAPTED = adaptedHeaders();

  private HeaderMaps() {}

  /** Netty's headers behind {@code headers}, or null when it has none (or they cannot be reached). */
  public static HttpHeaders nettyView(MultiMap headers) {
    if (headers instanceof HttpHeaders netty) {
      return netty;
    }
    if (ADAPTED != null && headers instanceof HeadersAdaptor) {
      return (HttpHeaders) ADAPTED.get((HeadersAdaptor) headers);
    }
    return null;
  }

  /**
   * Adds every line of {@code from} to {@code to}, in order, repeated names included. The entries
   * go across as they are only into an HTTP/1.1 map; any other map gets them through its own
   * {@code addAll}, as before.
   */
  public static void addAll(MultiMap from, MultiMap to) {
    HttpHeaders netty = nettyView(from);
    if (netty == null || !(to instanceof HttpHeaders)) {
      to.addAll(from);
      return;
    }
    Iterator<Map.Entry<CharSequence, CharSequence>> lines = netty.iteratorCharSequence();
    while (lines.hasNext()) {
      Map.Entry<CharSequence, CharSequence> line = lines.next();
      to.add(line.getKey(), line.getValue());
    }
  }

  private static VarHandle adaptedHeaders() {
    try {
      return MethodHandles.privateLookupIn(HeadersAdaptor.class, MethodHandles.lookup())
          .findVarHandle(HeadersAdaptor.class, "headers", HttpHeaders.class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // a Vert.x that changed the field: the ordinary walk, slower but the same result
    }
  }
}
