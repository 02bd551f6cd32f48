package io.edgeway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import io.edgeway.exchange.RequestSpan;
import io.edgeway.exchange.SpanHandle;
import io.edgeway.spi.Exchange;
import io.edgeway.spi.FilterChain;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayResponse;
import io.edgeway.spi.StandardAttributes;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code jwt} filter of one route. Shared by all event loops: its state is immutable apart
 * from the Caffeine cache of verified tokens (keyed by SHA-256 of the token; an entry never
 * outlives the token's exp, and is ignored once its provider's key set changed).
 */
final class JwtFilter implements GatewayFilter {
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });

  /** What a verified token means for this route, computed once per token. */
  record Accepted(JwtProvider provider, KeySet keys, long expiresAtMillis, String consumer, String[] forwardValues,
      boolean claimsMet) {}

  private record TokenKey(long a, long b, long c, long d) {}

  private final List<JwtProvider> providers;
  private final Clock clock;
  private final TokenExtractor extractor;
  private final int maxTokenChars;
  private final boolean strip;
  private final String[] forwardClaims;
  private final String[] forwardHeaders;
  private final List<ClaimRequirement> requirements;
  private final String challengeMissing;
  private final String challengeInvalid;
  private final String challengeRequest;
  private final String challengeScope;
  private final Cache<TokenKey, Accepted> cache;

  JwtFilter(JwtFilterConfig config, List<JwtProvider> providers, Clock clock) {
    this.providers = List.copyOf(providers);
    this.clock = clock;
    this.extractor = new TokenExtractor(config.from());
    this.maxTokenChars = (int) config.maxTokenSize().bytes();
    this.strip = config.stripAuthorization();
    this.forwardClaims = config.forwardClaims().keySet().stream().sorted().toArray(String[]::new);
    this.forwardHeaders = new String[forwardClaims.length];
    for (int i = 0; i < forwardClaims.length; i++) {
      forwardHeaders[i] = config.forwardClaims().get(forwardClaims[i]);
    }
    List<ClaimRequirement> reqs = new ArrayList<>();
    config.requiredClaims().forEach((claim, value) -> reqs.add(new ClaimRequirement(claim, value)));
    this.requirements = List.copyOf(reqs);
    String realm = "Bearer realm=\"" + config.realm() + "\"";
    this.challengeMissing = realm;
    this.challengeInvalid = realm + ", error=\"invalid_token\"";
    this.challengeRequest = realm + ", error=\"invalid_request\"";
    this.challengeScope = realm + ", error=\"insufficient_scope\"";
    this.cache = config.tokenCacheSize() == 0 ? null : Caffeine.newBuilder()
        .maximumSize(config.tokenCacheSize())
        .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
        // Maintenance inline on the reading loop. On the common pool, every few hits of a popular
        // token woke a pool thread that then fought the loop for the cache's lock: about 5 µs per
        // request on one core (loadtest/profiles/jwt-ratelimit.md).
        .executor(Runnable::run)
        .expireAfter(new Expiry<TokenKey, Accepted>() {
          @Override
          public long expireAfterCreate(TokenKey key, Accepted value, long now) {
            return TimeUnit.MILLISECONDS.toNanos(Math.max(0, value.expiresAtMillis() - clock.millis()));
          }

          @Override
          public long expireAfterUpdate(TokenKey key, Accepted value, long now, long current) {
            return expireAfterCreate(key, value, now);
          }

          @Override
          public long expireAfterRead(TokenKey key, Accepted value, long now, long current) {
            return current;
          }
        })
        .build();
  }

  @Override
  public Future<GatewayResponse> filter(Exchange exchange, FilterChain chain) {
    MultiMap headers = exchange.request().headers();
    // A client must never be able to send what looks like a verified claim.
    for (String header : forwardHeaders) {
      headers.remove(header);
    }
    TokenExtractor.Extracted extracted = extractor.extract(headers, exchange.request().query());
    if (extracted.problem() != null) {
      return reject(exchange, extracted.problem());
    }
    String token = extracted.token();
    if (token.length() > maxTokenChars) {
      return reject(exchange, JwtRejection.TOKEN_TOO_LARGE);
    }
    long now = clock.millis();
    TokenKey key = cache == null ? null : hash(token);
    if (key != null) {
      Accepted hit = cache.getIfPresent(key);
      if (hit != null && now < hit.expiresAtMillis() && hit.provider().usableKeys(now) == hit.keys()) {
        return accept(exchange, chain, hit);
      }
    }
    return complete(exchange, chain, token, key, TokenVerifier.verify(token, providers, now), true);
  }

  private Future<GatewayResponse> complete(
      Exchange exchange, FilterChain chain, String token, TokenKey key, TokenVerifier.Result result,
      boolean mayRefetch) {
    if (result instanceof TokenVerifier.Verified verified) {
      Accepted accepted = accepted(verified);
      if (key != null) {
        cache.put(key, accepted);
      }
      return accept(exchange, chain, accepted);
    }
    TokenVerifier.Rejected rejected = (TokenVerifier.Rejected) result;
    if (mayRefetch && rejected.reason() == JwtRejection.UNKNOWN_KEY && rejected.provider().isRemote()) {
      // A new signing key may have been published: refetch (rate-limited), then try once more,
      // back on this exchange's event loop.
      Context context = Vertx.currentContext();
      Promise<GatewayResponse> promise = Promise.promise();
      // What this request waits for, as a child span when it is traced. The fetch itself may be
      // shared (single flight) or skipped (rate-limited); "changed" tells whether new keys came.
      SpanHandle span = RequestSpan.child(exchange, "jwks fetch")
          .attribute("url.full", rejected.provider().config().jwksUrl())
          .attribute("edgeway.jwt.provider", rejected.provider().name());
      rejected.provider().refetchForUnknownKey().onComplete(ar -> {
        span.attribute("edgeway.jwks.changed", ar.succeeded() && ar.result() ? "true" : "false");
        span.end(ar.succeeded() ? null : ar.cause().getClass().getSimpleName());
        Runnable retry = () -> complete(exchange, chain, token, key,
            TokenVerifier.verify(token, providers, clock.millis()), false).onComplete(promise);
        if (context == null || Vertx.currentContext() == context) {
          retry.run();
        } else {
          context.runOnContext(v -> retry.run());
        }
      });
      return promise.future();
    }
    return reject(exchange, rejected.reason());
  }

  private Accepted accepted(TokenVerifier.Verified verified) {
    JWTClaimsSet claims = verified.claims();
    String[] values = new String[forwardClaims.length];
    for (int i = 0; i < forwardClaims.length; i++) {
      values[i] = headerValue(claims.getClaim(forwardClaims[i]));
    }
    boolean met = true;
    for (ClaimRequirement requirement : requirements) {
      met &= requirement.isMetBy(claims.getClaim(requirement.claim()));
    }
    Object sub = claims.getClaim("sub");
    return new Accepted(verified.provider(), verified.keys(), verified.expiresAtMillis(),
        sub instanceof String s ? s : null, values, met);
  }

  private Future<GatewayResponse> accept(Exchange exchange, FilterChain chain, Accepted accepted) {
    if (!accepted.claimsMet()) {
      return reject(exchange, JwtRejection.INSUFFICIENT_SCOPE);
    }
    MultiMap headers = exchange.request().headers();
    if (strip) {
      extractor.strip(exchange.request());
    }
    String[] values = accepted.forwardValues();
    for (int i = 0; i < values.length; i++) {
      if (values[i] != null) {
        headers.set(forwardHeaders[i], values[i]);
      }
    }
    if (accepted.consumer() != null) {
      exchange.put(StandardAttributes.CONSUMER, accepted.consumer());
    }
    return chain.proceed(exchange);
  }

  private Future<GatewayResponse> reject(Exchange exchange, JwtRejection reason) {
    GatewayResponse response = exchange.problem(reason.status(), reason.code(), reason.title());
    switch (reason) {
      case MISSING_TOKEN -> response.headers().set("WWW-Authenticate", challengeMissing);
      case AMBIGUOUS_TOKEN -> response.headers().set("WWW-Authenticate", challengeRequest);
      case INSUFFICIENT_SCOPE -> response.headers().set("WWW-Authenticate", challengeScope);
      case KEYS_UNAVAILABLE -> response.headers().set("Retry-After", "5");
      default -> response.headers().set("WWW-Authenticate", challengeInvalid);
    }
    return Future.succeededFuture(response);
  }

  /** A claim as a header value; null when it is absent or would not be a safe single-line value. */
  static String headerValue(Object claim) {
    String text;
    if (claim == null) {
      return null;
    } else if (claim instanceof String s) {
      text = s;
    } else if (claim instanceof Date d) {
      text = Long.toString(d.getTime() / 1000);
    } else if (claim instanceof Collection<?> list) {
      StringBuilder sb = new StringBuilder();
      for (Object o : list) {
        if (sb.length() > 0) {
          sb.append(',');
        }
        sb.append(o);
      }
      text = sb.toString();
    } else if (claim instanceof Map<?, ?> map) {
      @SuppressWarnings("unchecked")
      Map<String, Object> json = (Map<String, Object>) map;
      text = JSONObjectUtils.toJSONString(json);
    } else {
      text = claim.toString();
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        return null;
      }
    }
    return text;
  }

  private static TokenKey hash(String token) {
    MessageDigest digest = SHA256.get();
    byte[] d = digest.digest(token.getBytes(StandardCharsets.UTF_8));
    ByteBuffer b = ByteBuffer.wrap(d);
    return new TokenKey(b.getLong(), b.getLong(), b.getLong(), b.getLong());
  }

  /** For tests: cached tokens right now. */
  long cachedTokens() {
    return cache == null ? 0 : cache.estimatedSize();
  }
}
