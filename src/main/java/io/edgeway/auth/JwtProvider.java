package io.edgeway.auth;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import io.edgeway.runtime.StateEvents;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured token issuer and its keys. The keys are an immutable {@link KeySet} held in an
 * atomic reference: verification reads it without locks or I/O; for a JWKS URL a refresher swaps
 * it (fetched asynchronously, parsed on a worker thread).
 *
 * <p>Refresh policy for a JWKS URL: fresh for {@code jwks-cache-ttl}, refreshed
 * {@code jwks-refresh-ahead} before that; a failed fetch is retried with backoff (1 s doubling to
 * 30 s) and the last good set keeps working until {@code ttl + jwks-outage-tolerance} after its
 * fetch; an empty, invalid, oversized or non-200 answer never replaces a good set; an unknown
 * {@code kid} triggers at most one extra fetch per {@code jwks-min-refetch-interval}.
 */
public final class JwtProvider {
  private static final Logger log = LoggerFactory.getLogger(JwtProvider.class);
  private static final long MAX_BACKOFF_MILLIS = 30_000;

  /** The keys in use, when they were fetched, and until when they may be used. */
  record KeyState(KeySet keys, long fetchedAtMillis, long usableUntilMillis) {}

  private final String name;
  private final JwtProviderConfig config;
  private final Set<JWSAlgorithm> algorithms;
  private final Set<String> audiences;
  private final Set<String> tokenTypes;
  private final long skewMillis;
  private final Clock clock;
  private final AtomicReference<KeyState> state = new AtomicReference<>();

  // JWKS URL only.
  private final Vertx vertx;
  private final JwksFetcher fetcher;
  private final StateEvents events;
  private final AtomicReference<Future<Boolean>> inflight = new AtomicReference<>();
  private final AtomicLong lastOnDemandMillis = new AtomicLong(Long.MIN_VALUE / 2);
  private final AtomicLong timerId = new AtomicLong(-1);
  private final AtomicLong fetches = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong consecutiveFailures = new AtomicLong();
  private final AtomicReference<String> lastError = new AtomicReference<>();
  /** Wall-clock millis of the last failed fetch, and of the last fetch that ended either way; 0: none yet. */
  private final AtomicLong lastErrorMillis = new AtomicLong();
  private final AtomicLong lastRefreshMillis = new AtomicLong();
  private volatile boolean stopped;

  private JwtProvider(String name, JwtProviderConfig config, Clock clock, Vertx vertx, JwksFetcher fetcher,
      StateEvents events) {
    this.name = requireNonNull(name, "name");
    this.config = requireNonNull(config, "config");
    this.clock = requireNonNull(clock, "clock");
    this.algorithms = config.allowedAlgorithms();
    this.audiences = Set.copyOf(config.audiences());
    Set<String> types = new LinkedHashSet<>();
    config.tokenTypes().forEach(t -> types.add(normalizeType(t)));
    this.tokenTypes = Set.copyOf(types);
    this.skewMillis = config.clockSkew().toMillis();
    this.vertx = vertx;
    this.fetcher = fetcher;
    this.events = events;
  }

  /** A provider whose keys never change (secret, PEM file, JWKS file). */
  static JwtProvider fixed(String name, JwtProviderConfig config, Clock clock, KeySet keys) {
    JwtProvider provider = new JwtProvider(name, config, clock, null, null, null);
    provider.state.set(new KeyState(keys, clock.millis(), Long.MAX_VALUE));
    return provider;
  }

  /**
   * A provider as configured, holding no keys and never getting any: what validation creates the
   * {@code jwt} filter against (no key file read, no JWKS fetched). That filter is never used.
   */
  static JwtProvider keyless(String name, JwtProviderConfig config, Clock clock) {
    return new JwtProvider(name, config, clock, null, null, null);
  }

  /** A provider fetching its keys from a JWKS URL; call {@link #start()}. */
  static JwtProvider remote(String name, JwtProviderConfig config, Clock clock, Vertx vertx, JwksFetcher fetcher,
      StateEvents events) {
    return new JwtProvider(name, config, clock, requireNonNull(vertx, "vertx"), requireNonNull(fetcher, "fetcher"),
        events == null ? (t, s, d) -> {} : events);
  }

  /**
   * Starts a remote provider: the first fetch is attempted (and awaited up to its timeout) but a
   * failure does not fail the start: protected routes answer 503 until keys arrive.
   */
  Future<Void> start() {
    if (fetcher == null) {
      return Future.succeededFuture();
    }
    return refresh("start-up").<Void>mapEmpty().otherwiseEmpty();
  }

  void stop() {
    stopped = true;
    long id = timerId.getAndSet(-1);
    if (id >= 0 && vertx != null) {
      vertx.cancelTimer(id);
    }
  }

  public String name() {
    return name;
  }

  public String issuer() {
    return config.issuer();
  }

  JwtProviderConfig config() {
    return config;
  }

  Set<JWSAlgorithm> algorithms() {
    return algorithms;
  }

  Set<String> audiences() {
    return audiences;
  }

  long skewMillis() {
    return skewMillis;
  }

  boolean isRemote() {
    return fetcher != null;
  }

  /** Whether a {@code typ} header value is accepted (null means absent). */
  boolean acceptsType(String typ) {
    if (tokenTypes.isEmpty()) {
      if (typ == null) {
        return true;
      }
      String t = normalizeType(typ);
      return t.equals("jwt") || t.equals("at+jwt");
    }
    return typ != null && tokenTypes.contains(normalizeType(typ));
  }

  private static String normalizeType(String typ) {
    String t = typ.toLowerCase(Locale.ROOT);
    return t.startsWith("application/") ? t.substring("application/".length()) : t;
  }

  /** The keys usable now, or null while none are loaded (or the last good set outlived its tolerance). */
  KeySet usableKeys(long nowMillis) {
    KeyState s = state.get();
    return s == null || nowMillis > s.usableUntilMillis() ? null : s.keys();
  }

  /**
   * Asks for a refetch because a token named a key the set lacks. Rate-limited: within
   * {@code jwks-min-refetch-interval} of the previous on-demand fetch, no new fetch starts (an
   * in-flight one is joined).
   *
   * @return true when a fetch ran and changed the keys
   */
  Future<Boolean> refetchForUnknownKey() {
    if (fetcher == null || stopped) {
      return Future.succeededFuture(false);
    }
    long now = clock.millis();
    long last = lastOnDemandMillis.get();
    if (now - last < config.jwksMinRefetchInterval().toMillis() || !lastOnDemandMillis.compareAndSet(last, now)) {
      Future<Boolean> running = inflight.get();
      return running != null ? running : Future.succeededFuture(false);
    }
    return refresh("unknown kid");
  }

  /** Single-flight fetch; the next scheduled refresh is planned from its outcome. */
  Future<Boolean> refresh(String reason) {
    Promise<Boolean> promise = Promise.promise();
    Future<Boolean> mine = promise.future();
    while (true) {
      Future<Boolean> running = inflight.get();
      if (running != null) {
        return running;
      }
      if (inflight.compareAndSet(null, mine)) {
        break;
      }
    }
    fetches.incrementAndGet();
    fetcher.fetch()
        .compose(body -> vertx.executeBlocking(() -> KeySet.of(JWKSet.parse(body), algorithms, true), false))
        .onComplete(ar -> {
          boolean changed = false;
          lastRefreshMillis.set(clock.millis());
          if (ar.succeeded()) {
            changed = install(ar.result(), reason);
          } else {
            failed(ar.cause(), reason);
          }
          inflight.set(null);
          schedule();
          promise.complete(changed);
        });
    return mine;
  }

  private boolean install(KeySet keys, String reason) {
    long now = clock.millis();
    long usableUntil = now + config.jwksCacheTtl().toMillis() + config.jwksOutageTolerance().toMillis();
    KeyState previous = state.get();
    boolean same = previous != null && keys.sameKeysAs(previous.keys());
    state.set(new KeyState(same ? previous.keys() : keys, now, usableUntil));
    if (consecutiveFailures.getAndSet(0) > 0) {
      log.info("jwt provider {}: JWKS {} reachable again", name, config.jwksUrl());
      events.publish("jwks.recovered", name, Map.of("url", config.jwksUrl()));
    }
    if (!same) {
      log.info("jwt provider {}: {} key(s) loaded from {} ({})", name, keys.size(), config.jwksUrl(), reason);
      events.publish("jwks.updated", name, Map.of("url", config.jwksUrl(), "keys", keys.size(), "reason", reason));
    }
    return !same;
  }

  private void failed(Throwable cause, String reason) {
    failures.incrementAndGet();
    String message = cause instanceof IllegalArgumentException || cause instanceof java.text.ParseException
        ? "invalid key set: " + cause.getMessage() : cause.toString();
    lastError.set(message);
    lastErrorMillis.set(clock.millis());
    long streak = consecutiveFailures.incrementAndGet();
    log.warn("jwt provider {}: JWKS fetch from {} failed ({}), keeping {}: {}", name, config.jwksUrl(), reason,
        state.get() == null ? "no keys (protected routes answer 503)" : "the last good keys", message);
    if (streak == 1) {
      events.publish("jwks.refresh-failed", name, Map.of("url", config.jwksUrl(), "error", message,
          "keysLoaded", state.get() != null));
    }
  }

  private void schedule() {
    if (stopped) {
      return;
    }
    long streak = consecutiveFailures.get();
    long delay;
    if (streak == 0) {
      delay = config.jwksCacheTtl().toMillis() - config.jwksRefreshAhead().toMillis();
    } else {
      delay = Math.min(MAX_BACKOFF_MILLIS, 1000L << Math.min(streak - 1, 15));
    }
    long id = vertx.setTimer(Math.max(1, delay), t -> {
      timerId.compareAndSet(t, -1);
      if (!stopped) {
        refresh("scheduled");
      }
    });
    long old = timerId.getAndSet(id);
    if (old >= 0 && old != id) {
      vertx.cancelTimer(old);
    }
  }

  /** True once a key set is loaded (always for secrets and key files). */
  boolean hasKeys() {
    return state.get() != null;
  }

  /**
   * Status for the admin API: the key ids, when keys were loaded and refreshed, the last error.
   * Never key material: not even a secret's length or a public key (a kid is an identifier).
   */
  JsonObject status() {
    KeyState s = state.get();
    long now = clock.millis();
    JsonObject json = new JsonObject().put("issuer", config.issuer()).put("source", config.keySource().name()
        .toLowerCase(Locale.ROOT).replace('_', '-')).put("algorithms", config.algorithms())
        .put("keys", s == null ? 0 : s.keys().size())
        .put("keyIds", new JsonArray(s == null ? List.of() : s.keys().keyIds()))
        .put("usable", usableKeys(now) != null);
    if (s != null) {
      // For a secret or a key file: when it was read (start-up); for a JWKS URL: the last good fetch.
      json.put("loadedAt", Instant.ofEpochMilli(s.fetchedAtMillis()).toString());
    }
    if (fetcher != null) {
      json.put("url", config.jwksUrl()).put("fetches", fetches.get()).put("failures", failures.get())
          .put("consecutiveFailures", consecutiveFailures.get());
      if (s != null) {
        json.put("fetchedAt", Instant.ofEpochMilli(s.fetchedAtMillis()).toString())
            .put("usableUntil", Instant.ofEpochMilli(s.usableUntilMillis()).toString());
      }
      long refreshed = lastRefreshMillis.get();
      json.put("lastRefreshAt", refreshed == 0 ? null : Instant.ofEpochMilli(refreshed).toString());
      long failed = lastErrorMillis.get();
      json.put("lastError", lastError.get())
          .put("lastErrorAt", failed == 0 ? null : Instant.ofEpochMilli(failed).toString());
    }
    return json;
  }

  long fetchCount() {
    return fetches.get();
  }

  long failureCount() {
    return failures.get();
  }
}
