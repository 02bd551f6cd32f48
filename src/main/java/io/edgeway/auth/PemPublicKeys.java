package io.edgeway.auth;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Reads one public key from PEM text ({@code PUBLIC KEY} or {@code CERTIFICATE}) with the JDK only. */
final class PemPublicKeys {
  private PemPublicKeys() {}

  /**
   * @throws IllegalArgumentException when the text holds no RSA, EC or EdDSA public key
   */
  static JWK parse(String pem) {
    PublicKey key;
    try {
      if (pem.contains("-----BEGIN CERTIFICATE-----")) {
        key = CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(block(pem, "CERTIFICATE"))).getPublicKey();
      } else if (pem.contains("-----BEGIN PUBLIC KEY-----")) {
        byte[] der = block(pem, "PUBLIC KEY");
        key = decode(der);
      } else {
        throw new IllegalArgumentException("no PUBLIC KEY or CERTIFICATE block (expected: a PEM SubjectPublicKeyInfo "
            + "\"-----BEGIN PUBLIC KEY-----\" or an X.509 certificate; private keys are not accepted)");
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("unreadable key: " + e.getClass().getSimpleName()
          + " (expected: an RSA, EC or EdDSA public key in PEM)");
    }
    if (key instanceof RSAPublicKey rsa) {
      if (rsa.getModulus().bitLength() < 2048) {
        throw new IllegalArgumentException("RSA key of " + rsa.getModulus().bitLength() + " bits (expected: >= 2048 bits)");
      }
      return new RSAKey.Builder(rsa).build();
    }
    if (key instanceof ECPublicKey ec) {
      Curve curve = Curve.forECParameterSpec(ec.getParams());
      if (curve == null) {
        throw new IllegalArgumentException("EC key on an unsupported curve (expected: P-256, P-384 or P-521)");
      }
      return new ECKey.Builder(curve, ec).build();
    }
    if (key instanceof EdECPublicKey ed) {
      // RFC 8410: the raw key is the end of the SubjectPublicKeyInfo (32 bytes for Ed25519, 57 for Ed448).
      Curve curve = Curve.parse(ed.getParams().getName());
      int length = Curve.Ed25519.equals(curve) ? 32 : Curve.Ed448.equals(curve) ? 57 : -1;
      if (length < 0) {
        throw new IllegalArgumentException(ed.getParams().getName() + " key (expected: Ed25519 or Ed448)");
      }
      byte[] encoded = ed.getEncoded();
      byte[] raw = java.util.Arrays.copyOfRange(encoded, encoded.length - length, encoded.length);
      return new OctetKeyPair.Builder(curve, Base64URL.encode(raw)).build();
    }
    throw new IllegalArgumentException(key.getAlgorithm() + " key (expected: an RSA, EC or EdDSA public key)");
  }

  private static PublicKey decode(byte[] der) throws GeneralSecurityException {
    X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
    try {
      return KeyFactory.getInstance("RSA").generatePublic(spec);
    } catch (GeneralSecurityException notRsa) {
      try {
        return KeyFactory.getInstance("EC").generatePublic(spec);
      } catch (GeneralSecurityException notEc) {
        return KeyFactory.getInstance("EdDSA").generatePublic(spec);
      }
    }
  }

  private static byte[] block(String pem, String type) {
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int from = pem.indexOf(begin);
    int to = pem.indexOf(end, from);
    if (from < 0 || to < 0) {
      throw new IllegalArgumentException("unterminated " + type + " block (expected: PEM with BEGIN and END lines)");
    }
    try {
      return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad base64 in the " + type + " block (expected: PEM)");
    }
  }
}
