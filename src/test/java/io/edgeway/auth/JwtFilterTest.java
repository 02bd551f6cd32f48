package io.edgeway.auth;

import io.edgeway.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import io.edgeway.spi.DataSize;
import io.edgeway.spi.GatewayResponse;
import io.edgeway.spi.StandardAttributes;
import io.vertx.core.Future;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The jwt filter against a socket-less exchange, a lambda chain and a hand-moved clock. */
class JwtFilterTest {
  static final long NOW = TokenVerifierTest.NOW;
  final MutableClock clock = new MutableClock(NOW);
  final JwtProvider corp = JwtProvider.fixed("corp", TokenVerifierTest.corpConfig(List.of("RS256"), null), clock,
      KeySet.of(new JWKSet(Tokens.RSA.toPublicJWK()), SigningAlgorithms.parse(List.of("RS256")), true));
  final AtomicInteger upstreamCalls = new AtomicInteger();

  JwtFilter filter(TokenLocation from, Boolean strip) {
    return new JwtFilter(new JwtFilterConfig(List.of("corp"), from, Map.of("scope", "orders.read"),
        Map.of("sub", "X-User-Id", "roles", "X-Roles"), strip, null, null, null), List.of(corp), clock);
  }

  GatewayResponse run(JwtFilter filter, TestExchange exchange) {
    Future<GatewayResponse> f = filter.filter(exchange, ex -> {
      upstreamCalls.incrementAndGet();
      return Future.succeededFuture(GatewayResponse.of(200));
    });
    assertThat(f.isComplete()).isTrue();
    return f.result();
  }

  String token(long expMillis) {
    return Tokens.sign(Tokens.RSA, JWSAlgorithm.RS256, Tokens.claims(TokenVerifierTest.CORP, "orders-api", NOW)
        .expirationTime(new Date(expMillis)).claim("roles", List.of("a", "b")).build());
  }

  @Test
  void setsConsumerForwardsClaimsAndRemovesForgedHeaders() {
    TestExchange ex = new TestExchange(null, "Authorization", "Bearer " + token(NOW + 60_000), "X-User-Id", "admin",
        "x-roles", "root");
    assertThat(run(filter(null, null), ex).status()).isEqualTo(200);
    assertThat(ex.get(StandardAttributes.CONSUMER)).isEqualTo("alice");
    assertThat(ex.request().headers().getAll("X-User-Id")).containsExactly("alice");
    assertThat(ex.request().headers().getAll("X-Roles")).containsExactly("a,b");
    assertThat(ex.request().headers().contains("Authorization")).isTrue();
  }

  @Test
  void cachedTokenIsNotAcceptedAfterItsExpiry() {
    JwtFilter filter = filter(null, null);
    String token = token(NOW + 60_000);
    assertThat(run(filter, new TestExchange(null, "Authorization", "Bearer " + token)).status()).isEqualTo(200);
    assertThat(filter.cachedTokens()).isEqualTo(1);
    assertThat(run(filter, new TestExchange(null, "Authorization", "Bearer " + token)).status()).isEqualTo(200);
    clock.advanceMillis(60_000 + 30_000 + 1); // past exp and the clock skew
    GatewayResponse expired = run(filter, new TestExchange(null, "Authorization", "Bearer " + token));
    assertThat(expired.status()).isEqualTo(401);
    assertThat(expired.body().buffer().toJsonObject().getString("code")).isEqualTo("token_expired");
    assertThat(upstreamCalls.get()).isEqualTo(2);
  }

  @Test
  void readsHeaderCookieOrQueryAndRefusesAmbiguity() {
    String token = token(NOW + 60_000);
    JwtFilter byHeader = filter(new TokenLocation("X-Token", null, null), true);
    TestExchange h = new TestExchange(null, "X-Token", token);
    assertThat(run(byHeader, h).status()).isEqualTo(200);
    assertThat(h.request().headers().contains("X-Token")).isFalse();
    assertThat(run(byHeader, new TestExchange(null, "X-Token", token, "Authorization", "Bearer " + token)).status())
        .isEqualTo(400);
    assertThat(run(byHeader, new TestExchange(null, "X-Token", token, "X-Token", token)).status()).isEqualTo(400);

    JwtFilter byCookie = filter(new TokenLocation(null, "at", null), true);
    TestExchange c = new TestExchange(null, "Cookie", "theme=dark; at=" + token + "; lang=en");
    assertThat(run(byCookie, c).status()).isEqualTo(200);
    assertThat(c.request().headers().get("Cookie")).isEqualTo("theme=dark; lang=en");
    assertThat(run(byCookie, new TestExchange(null, "Cookie", "at=" + token, "Cookie", "at=x")).status()).isEqualTo(400);

    JwtFilter byQuery = filter(new TokenLocation(null, null, "access_token"), false);
    assertThat(run(byQuery, new TestExchange("a=1&access_token=" + token)).status()).isEqualTo(200);
    assertThat(run(byQuery, new TestExchange("access_token=" + token + "&access_token=" + token)).status())
        .isEqualTo(400);
    assertThat(run(byQuery, new TestExchange(null)).status()).isEqualTo(401);
  }

  @Test
  void missingWrongSchemeOversizedAndInsufficientScope() {
    JwtFilter filter = filter(null, null);
    GatewayResponse missing = run(filter, new TestExchange(null));
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.headers().get("WWW-Authenticate")).isEqualTo("Bearer realm=\"edgeway\"");
    assertThat(run(filter, new TestExchange(null, "Authorization", "Basic YTpi")).status()).isEqualTo(401);
    assertThat(run(filter, new TestExchange(null, "Authorization", "Bearer")).body().buffer().toJsonObject()
        .getString("code")).isEqualTo("malformed_token");
    GatewayResponse big = run(filter, new TestExchange(null, "Authorization", "Bearer " + "a".repeat(8193)));
    assertThat(big.body().buffer().toJsonObject().getString("code")).isEqualTo("token_too_large");
    String readOnly = Tokens.sign(Tokens.RSA, JWSAlgorithm.RS256, Tokens.claims(TokenVerifierTest.CORP, "orders-api", NOW)
        .claim("scope", "orders.write").build());
    GatewayResponse scope = run(filter, new TestExchange(null, "Authorization", "Bearer " + readOnly));
    assertThat(scope.status()).isEqualTo(403);
    assertThat(scope.headers().get("WWW-Authenticate")).isEqualTo("Bearer realm=\"edgeway\", error=\"insufficient_scope\"");
    assertThat(upstreamCalls.get()).isZero();
  }

  @Test
  void claimRequirementsMatchExactSpaceSeparatedOrArrayValues() {
    ClaimRequirement read = new ClaimRequirement("scope", "orders.read");
    assertThat(read.isMetBy("orders.read")).isTrue();
    assertThat(read.isMetBy("a orders.read b")).isTrue();
    assertThat(read.isMetBy("orders.reader")).isFalse();
    assertThat(read.isMetBy(List.of("x", "orders.read"))).isTrue();
    assertThat(read.isMetBy(List.of("orders.readx"))).isFalse();
    assertThat(read.isMetBy(null)).isFalse();
    ClaimRequirement both = new ClaimRequirement("scope", "a b");
    assertThat(both.isMetBy("b c a")).isTrue();
    assertThat(both.isMetBy("a c")).isFalse();
    assertThat(new ClaimRequirement("admin", "true").isMetBy(Boolean.TRUE)).isTrue();
    assertThat(JwtFilter.headerValue("evil\r\nX-Injected: 1")).isNull();
  }

  @Test
  void strippingAQueryTokenKeepsEveryOtherParameterAsSent() {
    assertThat(TokenExtractor.withoutParameter("a=1&access_token=x&b=%20y", "access_token")).isEqualTo("a=1&b=%20y");
    assertThat(TokenExtractor.withoutParameter("access_token=x", "access_token")).isEmpty();
    assertThat(TokenExtractor.withoutParameter("access%5Ftoken=x&c", "access_token")).isEqualTo("c");
    assertThat(TokenExtractor.withoutParameter("access_token&a=1&&b", "access_token")).isEqualTo("a=1&&b");
    assertThat(TokenExtractor.withoutParameter("access_tokens=1", "access_token")).isEqualTo("access_tokens=1");
    assertThat(TokenExtractor.withoutParameter(null, "access_token")).isNull();
  }

  @Test
  void configRejectsWhatCannotWorkSafely() {
    assertThatThrownBy(() -> new JwtFilterConfig(List.of(), null, null, null, null, null, null, null))
        .hasMessageStartingWith("providers:");
    assertThat(new JwtFilterConfig(List.of("corp"), new TokenLocation(null, null, "t"), null, null, true, null, null,
        null).stripAuthorization()).isTrue();
    assertThatThrownBy(() -> new JwtFilterConfig(List.of("corp"), null, null, Map.of("sub", "X User"), null, null, null,
        null)).hasMessageStartingWith("forward-claims:");
    assertThatThrownBy(() -> new JwtFilterConfig(List.of("corp"), null, null, null, null, DataSize.ofBytes(1 << 20),
        null, null)).hasMessageStartingWith("max-token-size:");
    assertThatThrownBy(() -> new TokenLocation("X-A", "b", null)).hasMessageStartingWith("from:");
  }
}
