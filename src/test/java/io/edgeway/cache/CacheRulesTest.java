package io.edgeway.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeway.exchange.DefaultGatewayRequest;
import io.edgeway.spi.Body;
import io.edgeway.spi.DataSize;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.streams.ReadStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Unit tests of the caching rules: directives, freshness, keys, the tee and configuration. */
class CacheRulesTest {
  private static final long NOW = 1_700_000_000_000L;

  private static CacheConfig config(Duration ttl, Duration sie, Duration swr) {
    return new CacheConfig(ttl, null, sie, swr, null, null, null, null, null);
  }

  private static MultiMap headers(String... nv) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < nv.length; i += 2) {
      m.add(nv[i], nv[i + 1]);
    }
    return m;
  }

  @Test
  void parsesCacheControlAcrossLinesAndQuotedLists() {
    CacheControl cc = CacheControl.parse(List.of("public, max-age=60", "S-MAXAGE=30, private=\"Set-Cookie, X\"",
        "stale-if-error=300, must-revalidate"));
    assertThat(cc.isPublic()).isTrue();
    assertThat(cc.isPrivate()).isTrue();
    assertThat(cc.maxAge()).isEqualTo(60);
    assertThat(cc.sMaxAge()).isEqualTo(30);
    assertThat(cc.staleIfError()).isEqualTo(300);
    assertThat(cc.mustRevalidate()).isTrue();
    assertThat(cc.noStore()).isFalse();
    assertThat(CacheControl.parse(List.of("max-age=abc")).maxAge()).isZero();
    assertThat(CacheControl.parse(List.of("max-age=60, max-age=10")).maxAge()).isEqualTo(10);
    assertThat(CacheControl.parse(List.of("max-age=99999999999999")).maxAge()).isEqualTo(Integer.MAX_VALUE);
    assertThat(CacheControl.parse(List.of()).maxAge()).isEqualTo(-1);
  }

  @Test
  void freshnessPrefersSMaxAgeThenMaxAgeThenExpiresThenTtl() {
    CachePolicy policy = new CachePolicy(config(Duration.ofSeconds(7), null, null));
    String date = HttpDates.format(NOW);
    MultiMap both = headers("Cache-Control", "max-age=60, s-maxage=20", "Date", date);
    assertThat(policy.freshness(both, CacheControl.parse(both.getAll("Cache-Control")), NOW).lifetimeMillis())
        .isEqualTo(20_000);
    MultiMap expires = headers("Date", date, "Expires", HttpDates.format(NOW + 90_000));
    assertThat(policy.freshness(expires, CacheControl.NONE, NOW).lifetimeMillis()).isEqualTo(90_000);
    MultiMap badExpires = headers("Expires", "0", "ETag", "\"x\"");
    assertThat(policy.freshness(badExpires, CacheControl.NONE, NOW).lifetimeMillis()).isZero();
    assertThat(policy.freshness(headers(), CacheControl.NONE, NOW).lifetimeMillis()).isEqualTo(7_000);
    // Stale at once, no validator, no stale window: not worth storing.
    assertThat(policy.freshness(headers("Expires", "0"), CacheControl.NONE, NOW)).isNull();
  }

  @Test
  void ageCountsTheUpstreamAgeAndTheClock() {
    CachePolicy policy = new CachePolicy(config(null, null, null));
    MultiMap h = headers("Cache-Control", "max-age=100", "Age", "40", "Date", HttpDates.format(NOW - 10_000));
    Freshness f = policy.freshness(h, CacheControl.parse(h.getAll("Cache-Control")), NOW);
    assertThat(f.initialAgeMillis()).isEqualTo(40_000);
    CachedResponse r = CachedResponse.of(200, h, Buffer.buffer("x"), NOW, f);
    assertThat(r.ttlSeconds(NOW)).isEqualTo(60);
    assertThat(r.isFresh(NOW + 59_999)).isTrue();
    assertThat(r.isFresh(NOW + 60_000)).isFalse();
    assertThat(r.toResponse(NOW + 5_000, false, "edgeway; hit").headers().get("Age")).isEqualTo("45");
    assertThat(r.headers().contains("Age")).isFalse();
  }

  @Test
  void staleWindowsComeFromTheResponseOrTheConfigAndMustRevalidateForbidsThem() {
    CachePolicy policy = new CachePolicy(config(null, Duration.ofMinutes(5), Duration.ofSeconds(10)));
    MultiMap own = headers("Cache-Control", "max-age=1, stale-while-revalidate=3");
    Freshness f = policy.freshness(own, CacheControl.parse(own.getAll("Cache-Control")), NOW);
    assertThat(f.staleWhileRevalidateMillis()).isEqualTo(3_000);
    assertThat(f.staleIfErrorMillis()).isEqualTo(300_000);
    CachedResponse r = CachedResponse.of(200, own, Buffer.buffer(), NOW, f);
    assertThat(r.servableWhileRevalidating(NOW + 500)).isFalse(); // still fresh
    assertThat(r.servableWhileRevalidating(NOW + 3_500)).isTrue();
    assertThat(r.servableWhileRevalidating(NOW + 4_500)).isFalse();
    assertThat(r.servableOnError(NOW + 300_000)).isTrue();
    assertThat(r.servableOnError(NOW + 302_000)).isFalse();
    assertThat(r.removeAtMillis()).isEqualTo(NOW + 1_000 + 300_000);

    MultiMap strict = headers("Cache-Control", "max-age=1, must-revalidate");
    Freshness s = policy.freshness(strict, CacheControl.parse(strict.getAll("Cache-Control")), NOW);
    assertThat(s.staleIfErrorMillis()).isZero();
    assertThat(s.staleWhileRevalidateMillis()).isZero();
  }

  @Test
  void refusesWhatASharedCacheMustNotStore() {
    CachePolicy policy = new CachePolicy(config(null, null, null));
    assertThat(policy.refusal(200, headers(), CacheControl.NONE)).isNull();
    assertThat(policy.refusal(302, headers(), CacheControl.NONE)).isEqualTo("status");
    assertThat(policy.refusal(500, headers(), CacheControl.NONE)).isEqualTo("status");
    assertThat(policy.refusal(200, headers(), CacheControl.parse(List.of("no-store")))).isEqualTo("no-store");
    assertThat(policy.refusal(200, headers(), CacheControl.parse(List.of("private")))).isEqualTo("private");
    assertThat(policy.refusal(200, headers("Set-Cookie", "a=b"), CacheControl.NONE)).isEqualTo("set-cookie");
    assertThat(policy.refusal(200, headers("Vary", "Accept, *"), CacheControl.NONE)).isEqualTo("vary-star");
    assertThat(CachePolicy.varyNames(headers("Vary", "Accept-Language, accept", "Vary", "ACCEPT")))
        .containsExactly("accept", "accept-language");
  }

  @Test
  void conditionalMatchingUsesWeakETagsThenDates() {
    MultiMap h = headers("ETag", "W/\"abc\"", "Last-Modified", HttpDates.format(NOW - 60_000));
    CachedResponse r = CachedResponse.of(200, h, Buffer.buffer("x"), NOW,
        new Freshness(60_000, 0, 0, 0, 0));
    assertThat(r.matchesConditional(headers("If-None-Match", "\"abc\""))).isTrue();
    assertThat(r.matchesConditional(headers("If-None-Match", "\"x\", *"))).isTrue();
    assertThat(r.matchesConditional(headers("If-None-Match", "\"other\"",
        "If-Modified-Since", HttpDates.format(NOW)))).isFalse(); // If-None-Match decides alone
    assertThat(r.matchesConditional(headers("If-Modified-Since", HttpDates.format(NOW)))).isTrue();
    assertThat(r.matchesConditional(headers("If-Modified-Since", HttpDates.format(NOW - 120_000)))).isFalse();
    assertThat(r.matchesConditional(headers("If-Modified-Since", "yesterday"))).isFalse();
    assertThat(r.notModified(NOW, "edgeway; hit").headers().get("ETag")).isEqualTo("W/\"abc\"");
  }

  private static DefaultGatewayRequest request(HttpMethod method, String path, String query, String... nv) {
    return new DefaultGatewayRequest(method, path, path, query, "example.com", "http", "127.0.0.1", Map.of(),
        headers(nv), Body.empty());
  }

  @Test
  void keysSortAndFilterTheQueryAndIncludeMethodHostHeadersAndConsumer() {
    CacheKeys all = new CacheKeys(new CacheKeyConfig(null, null, List.of("Accept-Language")));
    CacheKey a = all.primary("r", request(HttpMethod.GET, "/p", "b=2&a=1&&a=0", "Accept-Language", "en"), null);
    CacheKey b = all.primary("r", request(HttpMethod.GET, "/p", "a=0&a=1&b=2", "Accept-Language", "en"), null);
    assertThat(a).isEqualTo(b);
    assertThat(all.primary("r", request(HttpMethod.GET, "/p", "a=0&a=1&b=2", "Accept-Language", "de"), null))
        .isNotEqualTo(a);
    assertThat(all.primary("r", request(HttpMethod.HEAD, "/p", "a=0&a=1&b=2", "Accept-Language", "en"), null))
        .isNotEqualTo(a);
    assertThat(all.primary("r", request(HttpMethod.GET, "/p", "a=0&a=1&b=2", "Accept-Language", "en"), "alice"))
        .isNotEqualTo(a);
    assertThat(a.host()).isEqualTo("example.com");
    assertThat(a.path()).isEqualTo("/p");

    CacheKeys include = new CacheKeys(new CacheKeyConfig(CacheKeyConfig.QueryKeying.INCLUDE, List.of("page"), null));
    assertThat(include.primary("r", request(HttpMethod.GET, "/p", "utm=1&page=2"), null))
        .isEqualTo(include.primary("r", request(HttpMethod.GET, "/p", "page=2&utm=9"), null));
    CacheKeys exclude = new CacheKeys(new CacheKeyConfig(CacheKeyConfig.QueryKeying.EXCLUDE, List.of("utm"), null));
    assertThat(exclude.primary("r", request(HttpMethod.GET, "/p", "utm=1&page=2"), null))
        .isEqualTo(exclude.primary("r", request(HttpMethod.GET, "/p", "page=2"), null))
        .isNotEqualTo(exclude.primary("r", request(HttpMethod.GET, "/p", "page=3"), null));
    CacheKeys ignore = new CacheKeys(new CacheKeyConfig(CacheKeyConfig.QueryKeying.IGNORE, null, null));
    assertThat(ignore.primary("r", request(HttpMethod.GET, "/p", "x=1"), null))
        .isEqualTo(ignore.primary("r", request(HttpMethod.GET, "/p", null), null));
  }

  @Test
  void configurationDefaultsAndValidation() {
    CacheConfig defaults = new CacheConfig(null, null, null, null, null, null, null, null, null);
    assertThat(defaults.ttl()).isEqualTo(Duration.ofSeconds(60));
    assertThat(defaults.maxEntrySize()).isEqualTo(DataSize.parse("1MiB"));
    assertThat(defaults.statuses()).containsExactly(200, 203, 204, 300, 301, 404, 410);
    assertThat(defaults.perConsumer()).isFalse();
    assertThat(defaults.storeSetCookie()).isFalse();
    assertThat(new CacheStoreConfig(null, null).maxSize()).isEqualTo(DataSize.parse("256MiB"));
    assertThatThrownBy(() -> new CacheConfig(null, null, null, null, null, null, List.of(206), null, null))
        .hasMessage("statuses: 206 (expected: a final status from 200 to 599, not 206 or 304)");
    assertThatThrownBy(() -> new CacheConfig(Duration.ofSeconds(-1), null, null, null, null, null, null, null, null))
        .hasMessageStartingWith("ttl: ");
    assertThatThrownBy(() -> new CacheKeyConfig(CacheKeyConfig.QueryKeying.INCLUDE, null, null))
        .hasMessage("query-params: [] (expected: the parameter names to include)");
    assertThatThrownBy(() -> new CacheKeyConfig(null, List.of("a"), null))
        .hasMessage("query-params: [a] (expected: none unless query is include or exclude)");
    assertThatThrownBy(() -> new CacheStoreConfig(DataSize.ofBytes(10), null))
        .hasMessage("max-size: 10B (expected: at least 1KiB)");
    assertThat(new CacheStoreConfig(null, null).pluginMaxSize()).isEqualTo(DataSize.parse("16MiB"));
    assertThatThrownBy(() -> new CacheStoreConfig(null, DataSize.ofBytes(1000)))
        .hasMessage("plugin-max-size: 1000B (expected: at least 1KiB)");
  }

  /** A stream the test drives by hand. */
  private static final class ManualStream implements ReadStream<Buffer> {
    Handler<Buffer> handler;
    Handler<Void> end;
    Handler<Throwable> failure;
    int pauses;
    int resumes;

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) {
      failure = h;
      return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> h) {
      handler = h;
      return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
      pauses++;
      return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
      resumes++;
      return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
      return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> h) {
      end = h;
      return this;
    }
  }

  @Test
  void teePassesChunksAndBackPressureThroughAndKeepsOnlyCompleteBodiesWithinTheLimit() {
    ManualStream source = new ManualStream();
    TeeReadStream tee = new TeeReadStream(source, 8);
    StringBuilder seen = new StringBuilder();
    boolean[] ended = {false};
    tee.handler(b -> seen.append(b));
    tee.endHandler(v -> ended[0] = true);
    tee.pause();
    tee.resume();
    assertThat(source.pauses).isEqualTo(1);
    assertThat(source.resumes).isEqualTo(1);
    source.handler.handle(Buffer.buffer("abcd"));
    assertThat(tee.completeBody()).isNull(); // not ended yet
    source.handler.handle(Buffer.buffer("efgh"));
    source.end.handle(null);
    assertThat(seen).hasToString("abcdefgh");
    assertThat(ended[0]).isTrue();
    assertThat(tee.completeBody()).hasToString("abcdefgh");

    ManualStream big = new ManualStream();
    TeeReadStream over = new TeeReadStream(big, 8);
    StringBuilder all = new StringBuilder();
    over.handler(b -> all.append(b));
    over.endHandler(v -> { });
    big.handler.handle(Buffer.buffer("12345"));
    big.handler.handle(Buffer.buffer("67890"));
    big.end.handle(null);
    assertThat(all).hasToString("1234567890"); // still streamed whole
    assertThat(over.overflowed()).isTrue();
    assertThat(over.completeBody()).isNull();

    ManualStream reset = new ManualStream();
    TeeReadStream broken = new TeeReadStream(reset, 8);
    Throwable[] forwarded = {null};
    broken.handler(b -> { });
    broken.exceptionHandler(e -> forwarded[0] = e);
    reset.handler.handle(Buffer.buffer("12"));
    reset.failure.handle(new IllegalStateException("reset"));
    assertThat(forwarded[0]).hasMessage("reset");
    assertThat(broken.completeBody()).isNull();
  }
}
