package io.edgeway.cache;

import io.edgeway.cache.ResponseCache.FlightResult;
import io.edgeway.cache.ResponseCache.Lookup;
import io.edgeway.cache.ResponseCache.RouteCounters;
import io.edgeway.spi.Body;
import io.edgeway.spi.Exchange;
import io.edgeway.spi.FilterChain;
import io.edgeway.spi.GatewayException;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayResponse;
import io.edgeway.spi.GatewayRequest;
import io.edgeway.spi.StandardAttributes;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.streams.ReadStream;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code cache} filter of one route. Shared by all event loops: its only state is immutable
 * configuration and the thread-safe {@link ResponseCache}.
 *
 * <p>Flow: GET/HEAD without {@code Range}, and without identity unless {@code per-consumer} →
 * lookup. Fresh → hit (or 304 for a matching conditional). Stale within
 * {@code stale-while-revalidate} → stale hit plus one background refresh. Otherwise the request
 * joins the in-flight miss of its key or leads one: stale entries with validators are revalidated
 * (304 refreshes them), upstream errors fall back to a stale entry within {@code stale-if-error},
 * and a storable response is copied while it streams to the client and stored once the client got
 * all of it.
 */
final class CacheFilter implements GatewayFilter {
  private static final String IF_NONE_MATCH = "If-None-Match";
  private static final String IF_MODIFIED_SINCE = "If-Modified-Since";

  private final String routeId;
  private final ResponseCache store;
  private final CachePolicy policy;
  private final CacheKeys keys;
  private final boolean perConsumer;
  private final int maxEntrySize;
  private final long coalesceTimeoutMillis;
  private final Vertx vertx;
  private final Clock clock;
  private final RouteCounters counters;

  CacheFilter(String routeId, CacheConfig config, ResponseCache store, Vertx vertx) {
    this.routeId = routeId;
    this.store = store;
    this.policy = new CachePolicy(config);
    this.keys = new CacheKeys(config.key());
    this.perConsumer = config.perConsumer();
    this.maxEntrySize = (int) config.maxEntrySize().bytes();
    this.coalesceTimeoutMillis = config.coalesceTimeout().toMillis();
    this.vertx = vertx;
    this.clock = store.clock();
    this.counters = store.counters(routeId);
  }

  @Override
  public Future<GatewayResponse> filter(Exchange ex, FilterChain chain) {
    GatewayRequest request = ex.request();
    HttpMethod method = request.method();
    boolean head = method == HttpMethod.HEAD;
    if (method != HttpMethod.GET && !head) {
      return bypass(ex, chain, "method", null);
    }
    MultiMap headers = request.headers();
    if (headers.contains("Range")) {
      return bypass(ex, chain, "bypass", "range");
    }
    String consumer = ex.get(StandardAttributes.CONSUMER);
    boolean identified = consumer != null || headers.contains(HttpHeaders.AUTHORIZATION);
    if (identified && (!perConsumer || consumer == null)) {
      // Never serve one caller's response to another: no shared entry for identified requests.
      return bypass(ex, chain, "bypass", "authorization");
    }
    CacheKey key = keys.primary(routeId, request, identified ? consumer : null);
    long now = clock.millis();
    Lookup lookup = store.lookup(key, headers);
    CachedResponse entry = lookup.response();
    if (entry != null) {
      if (entry.isFresh(now)) {
        counters.hits.increment();
        return Future.succeededFuture(hit(ex, entry, now, head, headers, "edgeway; hit; ttl=" + entry.ttlSeconds(now), "hit"));
      }
      if (entry.servableWhileRevalidating(now)) {
        counters.staleHits.increment();
        refreshInBackground(ex, chain, key, entry);
        return Future.succeededFuture(hit(ex, entry, now, head, headers,
            "edgeway; hit; ttl=" + entry.ttlSeconds(now) + "; detail=stale-while-revalidate", "stale"));
      }
    }
    String fwd = entry != null ? "stale" : lookup.varyMiss() ? "vary-miss" : "miss";
    return forward(ex, chain, key, entry, head, fwd);
  }

  private GatewayResponse hit(
      Exchange ex, CachedResponse entry, long now, boolean head, MultiMap requestHeaders, String cacheStatus,
      String attribute) {
    ex.put(StandardAttributes.CACHE_STATUS, attribute);
    return entry.matchesConditional(requestHeaders)
        ? entry.notModified(now, cacheStatus)
        : entry.toResponse(now, head, cacheStatus);
  }

  private Future<GatewayResponse> bypass(Exchange ex, FilterChain chain, String fwd, String detail) {
    counters.bypasses.increment();
    ex.put(StandardAttributes.CACHE_STATUS, "bypass");
    String cacheStatus = "edgeway; fwd=" + fwd + (detail == null ? "" : "; detail=" + detail);
    return chain.proceed(ex).map(response -> {
      response.headers().add("Cache-Status", cacheStatus);
      response.headers().set("X-Cache", "MISS");
      return response;
    });
  }

  // ---- misses: coalescing ----

  private Future<GatewayResponse> forward(
      Exchange ex, FilterChain chain, CacheKey key, CachedResponse stale, boolean head, String fwd) {
    MultiMap headers = ex.request().headers();
    // The request as looked up: Vary values and the client's own validators are read from here later.
    MultiMap asLookedUp = MultiMap.caseInsensitiveMultiMap().addAll(headers);
    boolean clientConditional = headers.contains(IF_NONE_MATCH) || headers.contains(IF_MODIFIED_SINCE);
    if (stale == null && clientConditional) {
      // The upstream may answer 304, which cannot fill the cache: not worth coalescing.
      counters.misses.increment();
      return fetch(ex, chain, key, null, head, fwd, asLookedUp, null);
    }
    CompletableFuture<FlightResult> mine = new CompletableFuture<>();
    CompletableFuture<FlightResult> leader = store.join(key, mine);
    if (leader == null) {
      counters.misses.increment();
      return fetch(ex, chain, key, stale, head, fwd, asLookedUp, mine);
    }
    return awaitFlight(leader).compose(result -> {
      long now = clock.millis();
      if (result == FlightResult.STORED) {
        CachedResponse stored = store.lookup(key, headers).response();
        if (stored != null && stored.isFresh(now)) {
          counters.hits.increment();
          return Future.succeededFuture(hit(ex, stored, now, head, asLookedUp,
              "edgeway; hit; ttl=" + stored.ttlSeconds(now) + "; detail=coalesced", "hit"));
        }
      }
      // Not stored (uncacheable, failed, another variant) or waited too long: go upstream alone.
      counters.misses.increment();
      CachedResponse current = store.lookup(key, headers).response();
      return fetch(ex, chain, key, current, head, current == null ? fwd : "stale", asLookedUp, null);
    });
  }

  /** Waits on the caller's event loop for a leader's outcome, at most the coalesce timeout (then null). */
  private Future<FlightResult> awaitFlight(CompletableFuture<FlightResult> leader) {
    Context context = vertx.getOrCreateContext();
    Promise<FlightResult> promise = Promise.promise();
    boolean[] done = {false}; // timer and wake-up both run on this context
    store.waiterAdded();
    long timer = vertx.setTimer(coalesceTimeoutMillis, id -> {
      if (!done[0]) {
        done[0] = true;
        store.waiterDone();
        promise.complete(null);
      }
    });
    leader.whenComplete((result, failure) -> context.runOnContext(v -> {
      if (!done[0]) {
        done[0] = true;
        vertx.cancelTimer(timer);
        store.waiterDone();
        promise.complete(result);
      }
    }));
    return promise.future();
  }

  private void finish(CacheKey key, CompletableFuture<FlightResult> flight, FlightResult result) {
    if (flight != null) {
      store.finish(key, flight, result);
    }
  }

  // ---- misses: the upstream call ----

  private Future<GatewayResponse> fetch(
      Exchange ex, FilterChain chain, CacheKey key, CachedResponse stale, boolean head, String fwd,
      MultiMap asLookedUp, CompletableFuture<FlightResult> flight) {
    boolean revalidating = stale != null && stale.hasValidators();
    if (revalidating) {
      setValidators(ex.request().headers(), stale);
    }
    return chain.proceed(ex).transform(ar -> {
      long now = clock.millis();
      if (ar.failed()) {
        finish(key, flight, FlightResult.NOT_STORED);
        if (stale != null && stale.servableOnError(now) && ar.cause() instanceof GatewayException ge
            && ge.status() >= 500) {
          return Future.succeededFuture(staleOnError(ex, stale, now, head, asLookedUp, 0));
        }
        return Future.failedFuture(ar.cause());
      }
      GatewayResponse response = ar.result();
      int status = response.status();
      if (revalidating && status == 304) {
        return Future.succeededFuture(revalidated(ex, key, stale, response, now, head, asLookedUp, flight));
      }
      if (status >= 500 && stale != null && stale.servableOnError(now)) {
        discard(response.body());
        finish(key, flight, FlightResult.NOT_STORED);
        return Future.succeededFuture(staleOnError(ex, stale, now, head, asLookedUp, status));
      }
      ex.put(StandardAttributes.CACHE_STATUS, "miss");
      return Future.succeededFuture(storeWhileStreaming(ex, key, response, now, head, fwd, asLookedUp, flight));
    });
  }

  private static void setValidators(MultiMap headers, CachedResponse stale) {
    headers.remove(IF_NONE_MATCH);
    headers.remove(IF_MODIFIED_SINCE);
    if (stale.etag() != null) {
      headers.set(IF_NONE_MATCH, stale.etag());
    }
    if (stale.lastModified() != null) {
      headers.set(IF_MODIFIED_SINCE, stale.lastModified());
    }
  }

  private GatewayResponse staleOnError(
      Exchange ex, CachedResponse stale, long now, boolean head, MultiMap asLookedUp, int upstreamStatus) {
    counters.staleHits.increment();
    return hit(ex, stale, now, head, asLookedUp, "edgeway; fwd=stale"
        + (upstreamStatus > 0 ? "; fwd-status=" + upstreamStatus : "") + "; detail=stale-if-error", "stale");
  }

  /** The upstream confirmed a stale entry (304): refresh its headers and freshness, serve it. */
  private GatewayResponse revalidated(
      Exchange ex, CacheKey key, CachedResponse stale, GatewayResponse notModified, long now, boolean head,
      MultiMap asLookedUp, CompletableFuture<FlightResult> flight) {
    discard(notModified.body());
    CachedResponse refreshed = refresh(key, stale, notModified.headers(), now, asLookedUp);
    finish(key, flight, refreshed != null ? FlightResult.STORED : FlightResult.NOT_STORED);
    CachedResponse served = refreshed != null ? refreshed : stale;
    return hit(ex, served, now, head, asLookedUp,
        "edgeway; fwd=stale; fwd-status=304" + (refreshed != null ? "; stored" : ""), "revalidated");
  }

  private CachedResponse refresh(CacheKey key, CachedResponse stale, MultiMap notModified, long now, MultiMap asLookedUp) {
    MultiMap merged = stale.mergedWith(notModified);
    CacheControl cc = CacheControl.parse(merged.getAll(HttpHeaders.CACHE_CONTROL));
    Freshness freshness = policy.refusal(stale.status(), merged, cc) == null ? policy.freshness(merged, cc, now) : null;
    if (freshness == null) {
      return null;
    }
    CachedResponse refreshed = CachedResponse.of(stale.status(), merged, stale.body(), now, freshness);
    store.store(key, CachePolicy.varyNames(merged), asLookedUp, refreshed);
    return refreshed;
  }

  /**
   * Passes the response on; when it may be stored, its body is copied while it streams to the
   * client and stored once the exchange completed with the client having received all of it.
   */
  private GatewayResponse storeWhileStreaming(
      Exchange ex, CacheKey key, GatewayResponse response, long now, boolean head, String fwd, MultiMap asLookedUp,
      CompletableFuture<FlightResult> flight) {
    int status = response.status();
    MultiMap headers = response.headers();
    CacheControl cc = CacheControl.parse(headers.getAll(HttpHeaders.CACHE_CONTROL));
    Freshness freshness = policy.refusal(status, headers, cc) == null ? policy.freshness(headers, cc, now) : null;
    Body body = response.body();
    long length = body.isBuffered() ? body.buffer().length() : body.length();
    if (freshness == null || length > maxEntrySize) {
      finish(key, flight, FlightResult.NOT_STORED);
      markMiss(headers, fwd, false);
      return response;
    }
    List<String> vary = CachePolicy.varyNames(headers);
    // Filters before this one (CORS...) edit the same header map on the way out: copy it now.
    MultiMap captured = MultiMap.caseInsensitiveMultiMap().addAll(headers);
    if (body.isBuffered()) {
      store.store(key, vary, asLookedUp, CachedResponse.of(status, captured, body.buffer().copy(), now, freshness));
      finish(key, flight, FlightResult.STORED);
      markMiss(headers, fwd, true);
      return response;
    }
    TeeReadStream tee = new TeeReadStream(body.stream(), maxEntrySize);
    response.body(Body.stream(tee, body.length(), body::discard));
    try {
      ex.onComplete(outcome -> {
        Buffer complete = tee.completeBody();
        if (complete != null && !outcome.clientAborted() && lengthMatches(captured, complete, head, status)) {
          store.store(key, vary, asLookedUp, CachedResponse.of(status, captured, complete, now, freshness));
          finish(key, flight, FlightResult.STORED);
        } else {
          finish(key, flight, FlightResult.NOT_STORED);
        }
      });
    } catch (IllegalStateException alreadyCompleted) {
      finish(key, flight, FlightResult.NOT_STORED);
    }
    // "stored" is announced only when the length is known to fit; a body of unknown length may
    // still outgrow max-entry-size after the headers left.
    markMiss(headers, fwd, body.length() >= 0 || head || status == 204);
    return response;
  }

  private static boolean lengthMatches(MultiMap headers, Buffer body, boolean head, int status) {
    String declared = headers.get(HttpHeaders.CONTENT_LENGTH);
    if (declared == null || head || status == 204) {
      return true;
    }
    try {
      return Long.parseLong(declared.trim()) == body.length();
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Releases a body nobody reads; the reset that follows is expected, not an error to log. */
  private static void discard(Body body) {
    if (!body.isBuffered()) {
      body.stream().exceptionHandler(e -> { });
    }
    body.discard();
  }

  private static void markMiss(MultiMap headers, String fwd, boolean stored) {
    headers.add("Cache-Status", "edgeway; fwd=" + fwd + (stored ? "; stored" : ""));
    headers.set("X-Cache", "MISS");
  }

  // ---- stale-while-revalidate ----

  /**
   * Refreshes a stale entry while the client is already served from it. At most one refresh per
   * key runs at a time (it leads the key's flight); the body is read here, bounded by
   * {@code max-entry-size}, because no client reads it.
   */
  private void refreshInBackground(Exchange ex, FilterChain chain, CacheKey key, CachedResponse stale) {
    CompletableFuture<FlightResult> mine = new CompletableFuture<>();
    if (store.join(key, mine) != null) {
      return;
    }
    MultiMap headers = ex.request().headers();
    MultiMap asLookedUp = MultiMap.caseInsensitiveMultiMap().addAll(headers);
    if (stale.hasValidators()) {
      setValidators(headers, stale);
    } else {
      headers.remove(IF_NONE_MATCH);
      headers.remove(IF_MODIFIED_SINCE);
    }
    Future<GatewayResponse> call;
    try {
      call = chain.proceed(ex);
    } catch (RuntimeException e) {
      finish(key, mine, FlightResult.NOT_STORED);
      return;
    }
    call.onComplete(ar -> {
      long now = clock.millis();
      if (ar.failed()) {
        finish(key, mine, FlightResult.NOT_STORED);
        return;
      }
      GatewayResponse response = ar.result();
      int status = response.status();
      if (status == 304 && stale.hasValidators()) {
        discard(response.body());
        finish(key, mine, refresh(key, stale, response.headers(), now, asLookedUp) != null
            ? FlightResult.STORED : FlightResult.NOT_STORED);
        return;
      }
      MultiMap rh = response.headers();
      CacheControl cc = CacheControl.parse(rh.getAll(HttpHeaders.CACHE_CONTROL));
      Freshness freshness = policy.refusal(status, rh, cc) == null ? policy.freshness(rh, cc, now) : null;
      Body body = response.body();
      long length = body.isBuffered() ? body.buffer().length() : body.length();
      if (freshness == null || length > maxEntrySize || status >= 500) {
        discard(body);
        finish(key, mine, FlightResult.NOT_STORED);
        return;
      }
      List<String> vary = CachePolicy.varyNames(rh);
      boolean head = ex.request().method() == HttpMethod.HEAD;
      if (body.isBuffered()) {
        store.store(key, vary, asLookedUp, CachedResponse.of(status, rh, body.buffer().copy(), now, freshness));
        finish(key, mine, FlightResult.STORED);
        return;
      }
      readBounded(body, complete -> {
        if (complete != null && lengthMatches(rh, complete, head, status)) {
          store.store(key, vary, asLookedUp, CachedResponse.of(status, rh, complete, now, freshness));
          finish(key, mine, FlightResult.STORED);
        } else {
          finish(key, mine, FlightResult.NOT_STORED);
        }
      });
    });
  }

  /** Reads a streamed body up to {@code max-entry-size}; hands over null when larger or failed. */
  private void readBounded(Body body, java.util.function.Consumer<Buffer> done) {
    ReadStream<Buffer> stream = body.stream();
    Buffer copy = Buffer.buffer();
    boolean[] over = {false};
    stream.exceptionHandler(e -> {
      if (!over[0]) {
        over[0] = true;
        done.accept(null);
      }
    });
    stream.handler(chunk -> {
      if (over[0]) {
        return;
      }
      if (copy.length() + chunk.length() > maxEntrySize) {
        over[0] = true;
        body.discard();
        done.accept(null);
        return;
      }
      copy.appendBuffer(chunk);
    });
    stream.endHandler(v -> {
      if (!over[0]) {
        over[0] = true;
        done.accept(copy);
      }
    });
    stream.resume();
  }
}
