package io.edgeway.auth;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import io.edgeway.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * EdDSA tokens (RFC 8037, and the fully-specified Ed25519/Ed448 names of RFC 9864), signed here
 * with the JDK and verified through a JWK Set or a PEM public key, as a provider would be set up.
 */
class EdDsaTokenTest {
  static final long NOW = TokenVerifierTest.NOW;
  final MutableClock clock = new MutableClock(NOW);

  /** A key pair and its public JWK (the raw key is the end of the JDK's X.509 encoding, RFC 8410). */
  record EdKey(KeyPair pair, OctetKeyPair jwk) {
    static EdKey generate(String curve, String kid) throws Exception {
      KeyPair pair = KeyPairGenerator.getInstance(curve).generateKeyPair();
      byte[] encoded = pair.getPublic().getEncoded();
      int length = curve.equals("Ed25519") ? 32 : 57;
      byte[] raw = Arrays.copyOfRange(encoded, encoded.length - length, encoded.length);
      OctetKeyPair jwk = new OctetKeyPair.Builder(Curve.parse(curve), Base64URL.encode(raw)).keyID(kid).build();
      return new EdKey(pair, jwk);
    }

    String sign(String alg, JWTClaimsSet claims) throws Exception {
      String header = b64("{\"alg\":\"" + alg + "\",\"kid\":\"" + jwk.getKeyID() + "\",\"typ\":\"JWT\"}");
      String input = header + "." + b64(claims.toString());
      Signature signer = Signature.getInstance("EdDSA");
      signer.initSign(pair.getPrivate());
      signer.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
    }

    String pem() {
      return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded())
          + "\n-----END PUBLIC KEY-----\n";
    }
  }

  static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  JwtProvider provider(List<String> algorithms, JWK... keys) {
    return JwtProvider.fixed("ed", TokenVerifierTest.corpConfig(algorithms, null), clock,
        KeySet.of(new JWKSet(List.of(keys)), SigningAlgorithms.parse(algorithms), true));
  }

  JwtRejection reason(JwtProvider provider, String token) {
    TokenVerifier.Result r = TokenVerifier.verify(token, List.of(provider), clock.millis());
    return r instanceof TokenVerifier.Rejected rejected ? rejected.reason() : null;
  }

  JWTClaimsSet claims() {
    return Tokens.claims(TokenVerifierTest.CORP, "orders-api", NOW).build();
  }

  @Test
  void ed25519AndEd448TokensVerifyAgainstTheirJwks() throws Exception {
    EdKey ed25519 = EdKey.generate("Ed25519", "ed-1");
    EdKey ed448 = EdKey.generate("Ed448", "ed-2");
    JwtProvider p = provider(List.of("EdDSA", "Ed25519", "Ed448"), ed25519.jwk(), ed448.jwk());
    assertThat(reason(p, ed25519.sign("EdDSA", claims()))).isNull();
    assertThat(reason(p, ed25519.sign("Ed25519", claims()))).isNull();
    assertThat(reason(p, ed448.sign("EdDSA", claims()))).isNull();
    assertThat(reason(p, ed448.sign("Ed448", claims()))).isNull();
    // A fully-specified name binds the curve: an Ed448 key never checks an "Ed25519" token.
    assertThat(reason(p, ed448.sign("Ed25519", claims()))).isNotNull();
  }

  @Test
  void aForgedOrTamperedEdDsaTokenIsRejected() throws Exception {
    EdKey key = EdKey.generate("Ed25519", "ed-1");
    EdKey attacker = EdKey.generate("Ed25519", "ed-1"); // same kid, other key
    JwtProvider p = provider(List.of("EdDSA"), key.jwk());
    assertThat(reason(p, attacker.sign("EdDSA", claims()))).isEqualTo(JwtRejection.INVALID_SIGNATURE);
    String good = key.sign("EdDSA", claims());
    String tampered = Tokens.tamper(good, claims().toString().replace("alice", "mallory"));
    assertThat(reason(p, tampered)).isEqualTo(JwtRejection.INVALID_SIGNATURE);
    String truncated = good.substring(0, good.length() - 4);
    assertThat(reason(p, truncated)).isNotNull();
    // EdDSA only where allowed: an RS256 provider refuses the token, and cannot even load the key.
    assertThat(reason(p, good)).isNull();
    assertThat(reason(provider(List.of("RS256"), Tokens.RSA.toPublicJWK()), good)).isEqualTo(JwtRejection.INVALID_ALGORITHM);
    assertThatThrownBy(() -> provider(List.of("RS256"), key.jwk())).hasMessageStartingWith("no key fits");
  }

  @Test
  void anEdDsaPublicKeyInPemIsReadAsAnOkpKey() throws Exception {
    EdKey key = EdKey.generate("Ed25519", "ed-1");
    JWK parsed = PemPublicKeys.parse(key.pem());
    assertThat(parsed).isInstanceOf(OctetKeyPair.class);
    assertThat(((OctetKeyPair) parsed).getX()).isEqualTo(key.jwk().getX());
    JwtProvider p = JwtProvider.fixed("ed", TokenVerifierTest.corpConfig(List.of("EdDSA"), null), clock,
        KeySet.of(new JWKSet(parsed), SigningAlgorithms.parse(List.of("EdDSA")), false));
    assertThat(reason(p, key.sign("EdDSA", claims()))).isNull();
    assertThat(reason(p, EdKey.generate("Ed25519", "x").sign("EdDSA", claims()))).isNotNull();
  }

  @Test
  void throughTheRunningGatewayAnEd25519PemProviderAdmitsItsTokensOnly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    EdKey key = EdKey.generate("Ed25519", "ed-1");
    java.nio.file.Path pem = java.nio.file.Files.writeString(dir.resolve("ed25519.pem"), key.pem());
    io.vertx.core.Vertx vertx = TestVertx.create();
    io.edgeway.testing.TestUpstream upstream = io.edgeway.testing.TestUpstream.start(vertx);
    try (io.edgeway.testing.TestGateway gateway = io.edgeway.testing.TestGateway.start(vertx, """
        jwt-providers:
          ed: { issuer: "%s", audiences: [orders-api], algorithms: [EdDSA], public-key-file: "%s" }
        routes:
          - id: orders
            match: { path: /orders/** }
            upstream: { targets: [ { url: "%s" } ] }
            filters:
              - jwt: { providers: [ed] }
        """.formatted(TokenVerifierTest.CORP, pem, upstream.url()))) {
      io.vertx.core.http.HttpClient client = gateway.client(vertx);
      long now = System.currentTimeMillis();
      JWTClaimsSet live = Tokens.claims(TokenVerifierTest.CORP, "orders-api", now).build();
      java.util.function.Function<String, Integer> status = token -> {
        try {
          return io.edgeway.testing.OnContext.await(vertx, () -> client.request(io.vertx.core.http.HttpMethod.GET, "/orders/1")
              .compose(req -> req.putHeader("Authorization", "Bearer " + token).send())
              .compose(resp -> resp.body().map(b -> resp.statusCode())), 20);
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      };
      assertThat(status.apply(key.sign("EdDSA", live))).isEqualTo(200);
      assertThat(upstream.count()).isEqualTo(1);
      assertThat(status.apply(EdKey.generate("Ed25519", "ed-1").sign("EdDSA", live))).isEqualTo(401);
      assertThat(upstream.count()).isEqualTo(1);
    } finally {
      upstream.close();
      vertx.close().await();
    }
  }
}
