package io.edgeway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The JWS algorithms a provider may allow, and how many secret bits an HMAC algorithm needs. */
final class SigningAlgorithms {
  private SigningAlgorithms() {}

  private static final Map<String, JWSAlgorithm> SUPPORTED = Map.ofEntries(
      Map.entry("RS256", JWSAlgorithm.RS256), Map.entry("RS384", JWSAlgorithm.RS384),
      Map.entry("RS512", JWSAlgorithm.RS512), Map.entry("PS256", JWSAlgorithm.PS256),
      Map.entry("PS384", JWSAlgorithm.PS384), Map.entry("PS512", JWSAlgorithm.PS512),
      Map.entry("ES256", JWSAlgorithm.ES256), Map.entry("ES384", JWSAlgorithm.ES384),
      Map.entry("ES512", JWSAlgorithm.ES512), Map.entry("HS256", JWSAlgorithm.HS256),
      Map.entry("HS384", JWSAlgorithm.HS384), Map.entry("HS512", JWSAlgorithm.HS512),
      Map.entry("EdDSA", JWSAlgorithm.EdDSA), Map.entry("Ed25519", JWSAlgorithm.Ed25519),
      Map.entry("Ed448", JWSAlgorithm.Ed448));

  static final String EXPECTED =
      "RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA, Ed25519, Ed448, HS256, HS384, HS512";

  /** Parses an allow-list; names are case-sensitive as in RFC 7518 ({@code none} is never accepted). */
  static Set<JWSAlgorithm> parse(List<String> names) {
    Set<JWSAlgorithm> out = new LinkedHashSet<>();
    for (int i = 0; i < names.size(); i++) {
      JWSAlgorithm alg = SUPPORTED.get(names.get(i));
      if (alg == null) {
        throw new IllegalArgumentException("algorithms[" + i + "]: " + names.get(i) + " (expected: one of " + EXPECTED + ")");
      }
      out.add(alg);
    }
    return Set.copyOf(out);
  }

  static boolean isHmac(JWSAlgorithm alg) {
    return JWSAlgorithm.Family.HMAC_SHA.contains(alg);
  }

  static boolean isRsa(JWSAlgorithm alg) {
    return JWSAlgorithm.Family.RSA.contains(alg);
  }

  static boolean isEc(JWSAlgorithm alg) {
    return JWSAlgorithm.Family.EC.contains(alg);
  }

  /** The minimum HMAC key size in bytes (the hash size, RFC 7518 section 3.2). */
  static int hmacKeyBytes(JWSAlgorithm alg) {
    return Integer.parseInt(alg.getName().substring(2)) / 8;
  }
}
