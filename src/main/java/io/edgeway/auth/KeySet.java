package io.edgeway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable, in-memory set of verification keys with their verifiers built once, indexed by
 * algorithm. Verification on the event loop only ever looks keys up here; it never does I/O.
 *
 * <p>A key is only a candidate for an algorithm it fits: RSA keys for RS/PS, EC keys on the
 * algorithm's curve for ES, octet keys for HS. So an HS256 token can never be checked against an
 * RSA public key (no algorithm confusion). With {@code matchKid}, a token's {@code kid} must name
 * the key; a token without kid is tried against every key fitting its algorithm.
 */
final class KeySet {
  /** One key and its (thread-safe) verifier. */
  record Entry(String kid, JWSVerifier verifier) {}

  private final Map<JWSAlgorithm, List<Entry>> byAlgorithm;
  private final boolean matchKid;
  private final int size;
  private final Object fingerprint;
  private final List<String> keyIds;

  private KeySet(Map<JWSAlgorithm, List<Entry>> byAlgorithm, boolean matchKid, int size, Object fingerprint,
      List<String> keyIds) {
    this.keyIds = keyIds;
    this.byAlgorithm = byAlgorithm;
    this.matchKid = matchKid;
    this.size = size;
    this.fingerprint = fingerprint;
  }

  /**
   * Builds the set from JWKs. Private parts are dropped, keys with {@code use} other than sig,
   * RSA keys under 2048 bits and key types no allowed algorithm fits are skipped.
   *
   * @param matchKid whether the token's kid must name the key (JWKS) or is ignored (one static key)
   * @throws IllegalArgumentException when no key can verify any allowed algorithm
   */
  static KeySet of(JWKSet jwks, Set<JWSAlgorithm> allowed, boolean matchKid) {
    Map<JWSAlgorithm, List<Entry>> byAlg = new HashMap<>();
    List<Map<String, Object>> kept = new ArrayList<>();
    java.util.TreeSet<String> kids = new java.util.TreeSet<>();
    int usable = 0;
    for (JWK raw : jwks.getKeys()) {
      JWK jwk = raw instanceof OctetSequenceKey ? raw : raw.toPublicJWK();
      if (jwk == null || (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse()))) {
        continue;
      }
      boolean used = false;
      for (JWSAlgorithm alg : allowed) {
        if (jwk.getAlgorithm() != null && !jwk.getAlgorithm().equals(alg)) {
          continue;
        }
        JWSVerifier verifier = verifierFor(jwk, alg);
        if (verifier != null) {
          byAlg.computeIfAbsent(alg, a -> new ArrayList<>()).add(new Entry(jwk.getKeyID(), verifier));
          used = true;
        }
      }
      if (used) {
        usable++;
        kept.add(jwk.toJSONObject());
        if (jwk.getKeyID() != null) {
          kids.add(jwk.getKeyID());
        }
      }
    }
    if (usable == 0) {
      throw new IllegalArgumentException("no key fits the allowed algorithms " + allowed);
    }
    Map<JWSAlgorithm, List<Entry>> frozen = new HashMap<>();
    byAlg.forEach((alg, list) -> frozen.put(alg, List.copyOf(list)));
    return new KeySet(Map.copyOf(frozen), matchKid, usable, List.copyOf(kept), List.copyOf(kids));
  }

  private static JWSVerifier verifierFor(JWK jwk, JWSAlgorithm alg) {
    try {
      if (jwk instanceof RSAKey rsa && SigningAlgorithms.isRsa(alg)) {
        return rsa.size() >= 2048 ? new RSASSAVerifier(rsa.toRSAPublicKey()) : null;
      }
      if (jwk instanceof ECKey ec && SigningAlgorithms.isEc(alg)) {
        Set<Curve> curves = Curve.forJWSAlgorithm(alg);
        return curves != null && curves.contains(ec.getCurve()) ? new ECDSAVerifier(ec.toECPublicKey()) : null;
      }
      if (jwk instanceof OctetKeyPair okp && EdDsaVerifier.fits(alg, okp.getCurve())) {
        return EdDsaVerifier.of(okp);
      }
      if (jwk instanceof OctetSequenceKey oct && SigningAlgorithms.isHmac(alg)) {
        return oct.toByteArray().length >= SigningAlgorithms.hmacKeyBytes(alg) ? new MACVerifier(oct.toByteArray()) : null;
      }
    } catch (JOSEException | java.security.GeneralSecurityException e) {
      return null;
    }
    return null;
  }

  /** Keys that may have signed a token with this algorithm and kid; empty when none. */
  List<Entry> candidates(JWSAlgorithm alg, String kid) {
    List<Entry> all = byAlgorithm.get(alg);
    if (all == null) {
      return List.of();
    }
    if (!matchKid || kid == null) {
      return all;
    }
    for (int i = 0; i < all.size(); i++) {
      if (kid.equals(all.get(i).kid())) {
        // Almost always one key per kid: avoid building a list in the common case.
        if (i == all.size() - 1 || noOtherWithKid(all, kid, i + 1)) {
          return List.of(all.get(i));
        }
        return all.stream().filter(e -> kid.equals(e.kid())).toList();
      }
    }
    return List.of();
  }

  private static boolean noOtherWithKid(List<Entry> all, String kid, int from) {
    for (int i = from; i < all.size(); i++) {
      if (kid.equals(all.get(i).kid())) {
        return false;
      }
    }
    return true;
  }

  /** Number of usable keys. */
  /** The key ids ({@code kid}) of the usable keys, sorted; a key without one is not listed. Not secret. */
  List<String> keyIds() {
    return keyIds;
  }

  int size() {
    return size;
  }

  /** True when both sets hold the same public keys (a refresh that changed nothing). */
  boolean sameKeysAs(KeySet other) {
    return other != null && Objects.equals(fingerprint, other.fingerprint) && matchKid == other.matchKid;
  }
}
