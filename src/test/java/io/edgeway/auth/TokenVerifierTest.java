package io.edgeway.auth;

import io.edgeway.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every rejection reason of the verification pipeline, with a fixed clock and in-memory keys. */
class TokenVerifierTest {
  static final long NOW = 1_800_000_000_000L;
  static final String CORP = "https://login.example.com/";
  final MutableClock clock = new MutableClock(NOW);

  final JwtProvider corp = JwtProvider.fixed("corp", corpConfig(List.of("RS256", "ES256"), null), clock,
      KeySet.of(new JWKSet(List.of(Tokens.RSA.toPublicJWK(), Tokens.EC.toPublicJWK())),
          SigningAlgorithms.parse(List.of("RS256", "ES256")), true));
  final JwtProvider partner = JwtProvider.fixed("partner",
      new JwtProviderConfig("partner", null, List.of("HS256"), Tokens.SECRET, null, null, null, null, null, null,
          null, null, null, null, null),
      clock, KeySet.of(new JWKSet(new com.nimbusds.jose.jwk.OctetSequenceKey.Builder(
          Tokens.SECRET.getBytes(StandardCharsets.UTF_8)).build()), SigningAlgorithms.parse(List.of("HS256")), false));
  final List<JwtProvider> both = List.of(corp, partner);

  static JwtProviderConfig corpConfig(List<String> algs, List<String> types) {
    return new JwtProviderConfig(CORP, List.of("orders-api"), algs, null, null, "jwks.json", null, null, types, null,
        null, null, null, null, null);
  }

  JWTClaimsSet.Builder good() {
    return Tokens.claims(CORP, "orders-api", NOW);
  }

  JwtRejection reason(String token) {
    return reason(token, both);
  }

  JwtRejection reason(String token, List<JwtProvider> providers) {
    TokenVerifier.Result r = TokenVerifier.verify(token, providers, clock.millis());
    return r instanceof TokenVerifier.Rejected rejected ? rejected.reason() : null;
  }

  @Test
  void acceptsRs256Es256AndHs256() {
    TokenVerifier.Result rs = TokenVerifier.verify(Tokens.sign(Tokens.RSA, JWSAlgorithm.RS256, good().build()), both, NOW);
    assertThat(rs).isInstanceOf(TokenVerifier.Verified.class);
    assertThat(((TokenVerifier.Verified) rs).provider()).isSameAs(corp);
    assertThat(((TokenVerifier.Verified) rs).claims().getSubject()).isEqualTo("alice");
    assertThat(reason(Tokens.sign(Tokens.EC, JWSAlgorithm.ES256, good().build()))).isNull();
    TokenVerifier.Result hs = TokenVerifier.verify(
        Tokens.hs256(Tokens.SECRET, Tokens.claims("partner", null, NOW).build()), both, NOW);
    assertThat(((TokenVerifier.Verified) hs).provider()).isSameAs(partner);
  }

  @Test
  void tokenWithoutKidIsTriedAgainstEveryKeyOfItsAlgorithm() {
    String token = Tokens.sign(Tokens.RSA, JWSAlgorithm.RS256, good().build(), h -> h.keyID(null));
    assertThat(reason(token)).isNull();
  }

  @Test
  void unsecuredTokensAreRejectedWhateverTheCaseOfNone() {
    String payload = good().build().toString();
    // Hand-made with the trailing dot, as libraries serialize it.
    assertThat(reason(Tokens.raw("{\"alg\":\"none\"}", payload, ""))).isEqualTo(JwtRejection.INVALID_ALGORITHM);
    assertThat(reason(new com.nimbusds.jwt.PlainJWT(good().build()).serialize())).isEqualTo(JwtRejection.INVALID_ALGORITHM);
    assertThat(reason(Tokens.raw("{\"alg\":\"none\"}", payload, "c2ln"))).isEqualTo(JwtRejection.INVALID_ALGORITHM);
    assertThat(reason(Tokens.raw("{\"alg\":\"NONE\"}", payload, "c2ln"))).isEqualTo(JwtRejection.INVALID_ALGORITHM);
    assertThat(reason(Tokens.raw("{\"alg\":\"nOnE\"}", payload, "c2ln"))).isEqualTo(JwtRejection.INVALID_ALGORITHM);
  }

  @Test
  void rsaPublicKeyUsedAsHmacSecretIsRejected() throws Exception {
    byte[] publicKeyBytes = Tokens.RSA.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
    String confused = Tokens.hs(publicKeyBytes, JWSAlgorithm.HS256, good().build(), h -> h.keyID("rsa-1"));
    assertThat(reason(confused)).isEqualTo(JwtRejection.INVALID_ALGORITHM);
    // Even a provider allowing both families never checks an HS token with an RSA key.
    byte[] der = Tokens.RSA.toPublicJWK().toRSAKey().toPublicKey().getEncoded();
    String confusedDer = Tokens.hs(der, JWSAlgorithm.HS256, good().build(), h -> h.keyID("rsa-1"));
    assertThat(reason(confusedDer)).isEqualTo(JwtRejection.INVALID_ALGORITHM);
  }

  @Test
  void tamperedPayloadAndStrippedOrForeignSignatureAreInvalidSignatures() {
    String token = Tokens.sign(Tokens.RSA, JWSAlgorithm.RS256, good().build());
    assertThat(reason(Tokens.tamper(token, good().subject("admin").build().toString())))
        .isEqualTo(JwtRejection.INVALID_SIGNATURE);
    assertThat(reason(token.substring(0, token.lastIndexOf('.') + 1))).isEqualTo(JwtRejection.INVALID_SIGNATURE);
    assertThat(reason(Tokens.sign(Tokens.ATTACKER_RSA, JWSAlgorithm.RS256, good().build())))
        .isEqualTo(JwtRejection.INVALID_SIGNATURE);
  }

  @Test
  void jkuX5uAndEmbeddedJwkHeadersAreNeverUsed() throws Exception {
    String jku = Tokens.sign(Tokens.ATTACKER_RSA, JWSAlgorithm.RS256, good().build(),
        h -> h.jwkURL(URI.create("https://evil.example/jwks")));
    String x5u = Tokens.sign(Tokens.ATTACKER_RSA, JWSAlgorithm.RS256, good().build(),
        h -> h.x509CertURL(URI.create("https://evil.example/cert")));
    String jwk = Tokens.sign(Tokens.ATTACKER_RSA, JWSAlgorithm.RS256, good().build(),
        h -> h.jwk(Tokens.ATTACKER_RSA.toPublicJWK()));
    assertThat(reason(jku)).isEqualTo(JwtRejection.INVALID_SIGNATURE);
    assertThat(reason(x5u)).isEqualTo(JwtRejection.INVALID_SIGNATURE);
    assertThat(reason(jwk)).isEqualTo(JwtRejection.INVALID_SIGNATURE);
  }

  @Test
  void unknownKidAndPathTraversalKidAreUnknownKeys() {
    assertThat(reason(Tokens.sign(Tokens.rsa("other"), JWSAlgorithm.RS256, good().build())))
        .isEqualTo(JwtRejection.UNKNOWN_KEY);
    assertThat(reason(Tokens.sign(Tokens.RSA, JWSAlgorithm.RS256, good().build(),
        h -> h.keyID("../../../../dev/null")))).isEqualTo(JwtRejection.UNKNOWN_KEY);
  }

  @Test
  void unknownCriticalHeaderIsRejected() {
    String token = Tokens.sign(Tokens.RSA, JWSAlgorithm.RS256, good().claim("exp2", 1).build(),
        h -> h.criticalParams(java.util.Set.of("exp2")).customParam("exp2", 1));
    assertThat(reason(token)).isEqualTo(JwtRejection.UNSUPPORTED_CRITICAL_HEADER);
  }

  @Test
  void timeClaimsHonourTheClockSkew() {
    assertThat(reason(sign(good().expirationTime(new Date(NOW - 120_000))))).isEqualTo(JwtRejection.TOKEN_EXPIRED);
    assertThat(reason(sign(good().expirationTime(new Date(NOW - 20_000))))).isNull(); // within 30 s skew
    assertThat(reason(sign(good().expirationTime(null)))).isEqualTo(JwtRejection.MISSING_EXPIRATION);
    assertThat(reason(sign(good().notBeforeTime(new Date(NOW + 300_000))))).isEqualTo(JwtRejection.TOKEN_NOT_YET_VALID);
    assertThat(reason(sign(good().notBeforeTime(new Date(NOW + 20_000))))).isNull();
    assertThat(reason(sign(good().issueTime(new Date(NOW + 300_000))))).isEqualTo(JwtRejection.TOKEN_NOT_YET_VALID);
    assertThat(reason(sign(good().claim("exp", "tomorrow")))).isEqualTo(JwtRejection.MALFORMED_TOKEN);
  }

  @Test
  void issuerAndAudienceAreChecked() {
    assertThat(reason(sign(good().issuer("https://evil.example/")))).isEqualTo(JwtRejection.INVALID_ISSUER);
    assertThat(reason(sign(good().issuer(null)))).isEqualTo(JwtRejection.INVALID_ISSUER);
    assertThat(reason(sign(good().audience("billing-api")))).isEqualTo(JwtRejection.INVALID_AUDIENCE);
    assertThat(reason(sign(good().audience((String) null)))).isEqualTo(JwtRejection.INVALID_AUDIENCE);
    assertThat(reason(sign(good().audience(List.of("billing-api", "orders-api"))))).isNull();
    // A provider not listed by the filter is not consulted, even if the token names its issuer.
    assertThat(reason(Tokens.hs256(Tokens.SECRET, Tokens.claims("partner", null, NOW).build()), List.of(corp)))
        .isEqualTo(JwtRejection.INVALID_ISSUER);
  }

  @Test
  void tokenTypeMustBeJwtOrAccessTokenUnlessConfigured() {
    assertThat(reason(Tokens.sign(Tokens.RSA, JWSAlgorithm.RS256, good().build(),
        h -> h.type(new com.nimbusds.jose.JOSEObjectType("at+jwt"))))).isNull();
    assertThat(reason(Tokens.sign(Tokens.RSA, JWSAlgorithm.RS256, good().build(),
        h -> h.type(new com.nimbusds.jose.JOSEObjectType("refresh+jwt"))))).isEqualTo(JwtRejection.INVALID_TOKEN_TYPE);
    JwtProvider strict = JwtProvider.fixed("strict", corpConfig(List.of("RS256"), List.of("at+jwt")), clock,
        KeySet.of(new JWKSet(Tokens.RSA.toPublicJWK()), SigningAlgorithms.parse(List.of("RS256")), true));
    assertThat(reason(Tokens.sign(Tokens.RSA, JWSAlgorithm.RS256, good().build()), List.of(strict)))
        .isEqualTo(JwtRejection.INVALID_TOKEN_TYPE);
  }

  @Test
  void malformedTokensAreRejectedNeverThrown() {
    String payload = Tokens.b64(good().build().toString());
    assertThat(reason("garbage")).isEqualTo(JwtRejection.MALFORMED_TOKEN);
    assertThat(reason("a.b")).isEqualTo(JwtRejection.MALFORMED_TOKEN);
    assertThat(reason("a.b.c.d")).isEqualTo(JwtRejection.MALFORMED_TOKEN);
    assertThat(reason("..")).isEqualTo(JwtRejection.MALFORMED_TOKEN);
    assertThat(reason("!!!." + payload + ".c2ln")).isEqualTo(JwtRejection.MALFORMED_TOKEN);
    assertThat(reason(Tokens.b64("not json") + "." + payload + ".c2ln")).isEqualTo(JwtRejection.MALFORMED_TOKEN);
    assertThat(reason(Tokens.b64("{\"alg\":\"RS256\"}") + "." + Tokens.b64("[1,2]") + ".c2ln"))
        .isEqualTo(JwtRejection.MALFORMED_TOKEN);
    assertThat(reason(Tokens.b64("{\"alg\":\"RS256\"}") + "." + Tokens.b64("{\"sub\":\"a\",\"sub\":\"b\"}") + ".c2ln"))
        .isEqualTo(JwtRejection.MALFORMED_TOKEN);
    String deep = "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
    assertThat(reason(Tokens.b64("{\"alg\":\"RS256\"}") + "." + Tokens.b64(deep) + ".c2ln"))
        .isEqualTo(JwtRejection.MALFORMED_TOKEN);
  }

  private String sign(JWTClaimsSet.Builder claims) {
    return Tokens.sign(Tokens.RSA, JWSAlgorithm.RS256, claims.build());
  }
}
