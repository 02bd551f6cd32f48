package io.edgeway.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;

/** Makes tokens (good and hostile) for tests; keys are generated once per JVM. */
final class Tokens {
  private Tokens() {}

  static final RSAKey RSA = rsa("rsa-1");
  static final RSAKey RSA_ROTATED = rsa("rsa-2");
  static final RSAKey ATTACKER_RSA = rsa("rsa-1");
  static final ECKey EC = ec("ec-1");
  static final String SECRET = "partner-secret-0123456789abcdef-XYZ";

  static RSAKey rsa(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static ECKey ec(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Claims valid at {@code nowMillis} for issuer/audience. */
  static JWTClaimsSet.Builder claims(String issuer, String audience, long nowMillis) {
    JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().issuer(issuer).subject("alice")
        .issueTime(new Date(nowMillis - 1000)).expirationTime(new Date(nowMillis + 600_000))
        .claim("scope", "orders.read orders.write").claim("email", "alice@example.com");
    if (audience != null) {
      b.audience(List.of(audience));
    }
    return b;
  }

  static String sign(JWK key, JWSAlgorithm alg, JWTClaimsSet claims) {
    return sign(key, alg, claims, h -> {});
  }

  static String sign(JWK key, JWSAlgorithm alg, JWTClaimsSet claims, Consumer<JWSHeader.Builder> header) {
    try {
      JWSHeader.Builder h = new JWSHeader.Builder(alg).type(JOSEObjectType.JWT);
      if (key.getKeyID() != null) {
        h.keyID(key.getKeyID());
      }
      header.accept(h);
      SignedJWT jwt = new SignedJWT(h.build(), claims);
      JWSSigner signer = key instanceof RSAKey r ? new RSASSASigner(r)
          : key instanceof ECKey e ? new ECDSASigner(e) : null;
      jwt.sign(signer);
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String hs(byte[] secret, JWSAlgorithm alg, JWTClaimsSet claims, Consumer<JWSHeader.Builder> header) {
    try {
      JWSHeader.Builder h = new JWSHeader.Builder(alg).type(JOSEObjectType.JWT);
      header.accept(h);
      SignedJWT jwt = new SignedJWT(h.build(), claims);
      jwt.sign(new MACSigner(secret));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String hs256(String secret, JWTClaimsSet claims) {
    return hs(secret.getBytes(StandardCharsets.UTF_8), JWSAlgorithm.HS256, claims, h -> {});
  }

  /** A token with a hand-written header JSON and payload JSON, and the given signature part. */
  static String raw(String headerJson, String payloadJson, String signature) {
    return b64(headerJson) + "." + b64(payloadJson) + "." + signature;
  }

  static String b64(String json) {
    return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** Replaces the payload of a signed token, keeping header and signature. */
  static String tamper(String token, String payloadJson) {
    String[] p = token.split("\\.");
    return p[0] + "." + b64(payloadJson) + "." + p[2];
  }
}
