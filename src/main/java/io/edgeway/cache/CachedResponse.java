package io.edgeway.cache;

import io.edgeway.spi.Body;
import io.edgeway.spi.GatewayResponse;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.Locale;
import java.util.Map;

/**
 * A complete stored response: status, the headers to replay, the body, and its freshness. Immutable
 * and shared by all event loops; every hit builds its own header map around the shared body.
 */
final class CachedResponse implements StoredValue {
  private final int status;
  private final String[] names;
  private final String[] values;
  private final Buffer body;
  private final long responseMillis;
  private final Freshness freshness;
  private final String etag;
  private final String lastModified;
  private final int weight;

  private CachedResponse(int status, String[] names, String[] values, Buffer body, long responseMillis,
      Freshness freshness) {
    this.status = status;
    this.names = names;
    this.values = values;
    this.body = body;
    this.responseMillis = responseMillis;
    this.freshness = freshness;
    String tag = null;
    String modified = null;
    int w = 128 + body.length();
    for (int i = 0; i < names.length; i++) {
      w += 48 + 2 * (names[i].length() + values[i].length());
      if (tag == null && names[i].equalsIgnoreCase("ETag")) {
        tag = values[i];
      } else if (modified == null && names[i].equalsIgnoreCase("Last-Modified")) {
        modified = values[i];
      }
    }
    this.etag = tag;
    this.lastModified = modified;
    this.weight = w;
  }

  /**
   * Captures a response. {@code Age} is left out (recomputed on every hit) and so are headers only
   * this cache sets.
   */
  static CachedResponse of(int status, MultiMap headers, Buffer body, long responseMillis, Freshness freshness) {
    int n = 0;
    for (Map.Entry<String, String> e : headers) {
      if (kept(e.getKey())) {
        n++;
      }
    }
    String[] names = new String[n];
    String[] values = new String[n];
    int i = 0;
    for (Map.Entry<String, String> e : headers) {
      if (kept(e.getKey())) {
        names[i] = e.getKey();
        values[i] = e.getValue();
        i++;
      }
    }
    return new CachedResponse(status, names, values, body, responseMillis, freshness);
  }

  private static boolean kept(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return !n.equals("age") && !n.equals("x-cache") && !n.equals("x-request-id");
  }

  int status() {
    return status;
  }

  Buffer body() {
    return body;
  }

  String etag() {
    return etag;
  }

  String lastModified() {
    return lastModified;
  }

  boolean hasValidators() {
    return etag != null || lastModified != null;
  }

  /** The stored headers as a new mutable map. */
  MultiMap headers() {
    MultiMap m = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < names.length; i++) {
      m.add(names[i], values[i]);
    }
    return m;
  }

  /** Current age (RFC 9111 section 4.2.3). */
  long ageMillis(long nowMillis) {
    return freshness.initialAgeMillis() + Math.max(0, nowMillis - responseMillis);
  }

  boolean isFresh(long nowMillis) {
    return ageMillis(nowMillis) < freshness.lifetimeMillis();
  }

  /** Seconds of freshness left; negative when stale (the {@code ttl} of Cache-Status). */
  long ttlSeconds(long nowMillis) {
    return Math.floorDiv(freshness.lifetimeMillis() - ageMillis(nowMillis), 1000);
  }

  private long stalenessMillis(long nowMillis) {
    return ageMillis(nowMillis) - freshness.lifetimeMillis();
  }

  boolean servableWhileRevalidating(long nowMillis) {
    long staleness = stalenessMillis(nowMillis);
    return staleness >= 0 && staleness <= freshness.staleWhileRevalidateMillis() && freshness.staleWhileRevalidateMillis() > 0;
  }

  boolean servableOnError(long nowMillis) {
    long staleness = stalenessMillis(nowMillis);
    return staleness <= freshness.staleIfErrorMillis() && freshness.staleIfErrorMillis() > 0;
  }

  @Override
  public long removeAtMillis() {
    return responseMillis - freshness.initialAgeMillis() + freshness.lifetimeMillis() + freshness.retainMillis();
  }

  @Override
  public int weight() {
    return weight;
  }

  /**
   * The response a client gets for this entry.
   *
   * @param head true for a HEAD request (no body)
   * @param cacheStatus the {@code Cache-Status} member of this cache
   */
  GatewayResponse toResponse(long nowMillis, boolean head, String cacheStatus) {
    MultiMap m = headers();
    decorate(m, nowMillis, cacheStatus);
    return GatewayResponse.of(status, m, head || body.length() == 0 ? Body.empty() : Body.of(body));
  }

  /** A 304 for a client whose validator matched (RFC 9110 section 15.4.5 header set). */
  GatewayResponse notModified(long nowMillis, String cacheStatus) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < names.length; i++) {
      switch (names[i].toLowerCase(Locale.ROOT)) {
        case "etag", "cache-control", "content-location", "date", "expires", "vary", "last-modified" ->
            m.add(names[i], values[i]);
        default -> { }
      }
    }
    decorate(m, nowMillis, cacheStatus);
    return GatewayResponse.of(304, m, Body.empty());
  }

  private void decorate(MultiMap m, long nowMillis, String cacheStatus) {
    m.set("Age", Long.toString(ageMillis(nowMillis) / 1000));
    m.add("Cache-Status", cacheStatus);
    m.set("X-Cache", "HIT");
  }

  /**
   * True when the client's {@code If-None-Match} (or, without it, {@code If-Modified-Since})
   * matches this entry, so a 304 answers it.
   */
  boolean matchesConditional(MultiMap requestHeaders) {
    if (status != 200) {
      return false;
    }
    String inm = requestHeaders.get("If-None-Match");
    if (inm != null) {
      return etag != null && ETags.weakMatch(inm, etag);
    }
    String ims = requestHeaders.get("If-Modified-Since");
    if (ims == null) {
      return false;
    }
    long since = HttpDates.parse(ims);
    long modified = HttpDates.parse(lastModified);
    return since != HttpDates.INVALID && modified != HttpDates.INVALID && modified <= since;
  }

  /**
   * The headers after a 304 from the upstream: stored fields replaced by those the 304 carries
   * (RFC 9111 section 4.3.4), except the framing ones.
   */
  MultiMap mergedWith(MultiMap notModified) {
    MultiMap merged = headers();
    for (String name : notModified.names()) {
      String n = name.toLowerCase(Locale.ROOT);
      if (n.equals("content-length") || n.equals("content-encoding") || n.equals("transfer-encoding")
          || n.equals("content-range")) {
        continue;
      }
      merged.remove(name);
      merged.add(name, notModified.getAll(name));
    }
    return merged;
  }
}
