package io.edgeway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.Set;

/**
 * EdDSA signatures (RFC 8037: Ed25519 and Ed448 keys) checked with the JDK's own EdDSA. Nimbus's
 * Ed25519 verifier needs Google Tink; the JDK has had EdDSA since 15, so no extra dependency.
 * A verifier holds one public key; each check uses a fresh {@link Signature}, so it is safe on
 * every event loop at once.
 */
final class EdDsaVerifier implements JWSVerifier {
  // The DER SubjectPublicKeyInfo header before the raw key (RFC 8410): algorithm OID 1.3.101.112
  // (Ed25519) or 1.3.101.113 (Ed448), then the BIT STRING holding the key.
  private static final byte[] ED25519_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
  private static final byte[] ED448_PREFIX = HexFormat.of().parseHex("3043300506032b6571033a00");

  private final PublicKey key;
  private final Curve curve;
  private final int signatureLength;
  private final JCAContext jca = new JCAContext();

  private EdDsaVerifier(PublicKey key, Curve curve, int signatureLength) {
    this.key = key;
    this.curve = curve;
    this.signatureLength = signatureLength;
  }

  /** A verifier for an OKP key on Ed25519 or Ed448; null for any other curve (X25519 is not for signing). */
  static EdDsaVerifier of(OctetKeyPair okp) throws GeneralSecurityException {
    byte[] raw = okp.getDecodedX();
    byte[] prefix;
    int keyLength;
    int signatureLength;
    if (Curve.Ed25519.equals(okp.getCurve())) {
      prefix = ED25519_PREFIX;
      keyLength = 32;
      signatureLength = 64;
    } else if (Curve.Ed448.equals(okp.getCurve())) {
      prefix = ED448_PREFIX;
      keyLength = 57;
      signatureLength = 114;
    } else {
      return null;
    }
    if (raw == null || raw.length != keyLength) {
      return null;
    }
    byte[] der = new byte[prefix.length + raw.length];
    System.arraycopy(prefix, 0, der, 0, prefix.length);
    System.arraycopy(raw, 0, der, prefix.length, raw.length);
    PublicKey key = KeyFactory.getInstance("EdDSA").generatePublic(new X509EncodedKeySpec(der));
    return new EdDsaVerifier(key, okp.getCurve(), signatureLength);
  }

  /** Whether {@code alg} may be checked with a key on {@code curve}: EdDSA with either, Ed25519/Ed448 with their own. */
  static boolean fits(JWSAlgorithm alg, Curve curve) {
    return JWSAlgorithm.EdDSA.equals(alg) && (Curve.Ed25519.equals(curve) || Curve.Ed448.equals(curve))
        || JWSAlgorithm.Ed25519.equals(alg) && Curve.Ed25519.equals(curve)
        || JWSAlgorithm.Ed448.equals(alg) && Curve.Ed448.equals(curve);
  }

  @Override
  public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) {
    if (!fits(header.getAlgorithm(), curve)) {
      return false;
    }
    byte[] bytes = signature.decode();
    if (bytes.length != signatureLength) {
      return false;
    }
    try {
      Signature check = Signature.getInstance("EdDSA");
      check.initVerify(key);
      check.update(signingInput);
      return check.verify(bytes);
    } catch (GeneralSecurityException malformed) {
      return false;
    }
  }

  @Override
  public Set<JWSAlgorithm> supportedJWSAlgorithms() {
    return Curve.Ed25519.equals(curve) ? Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519)
        : Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed448);
  }

  @Override
  public JCAContext getJCAContext() {
    return jca;
  }
}
