package io.edgeway.config;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an unencrypted PEM private key in the three forms certificate tools write: PKCS#8
 * ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}) and SEC1 EC
 * ({@code BEGIN EC PRIVATE KEY}, as {@code openssl ecparam -genkey} and certbot write it). The
 * JDK reads only PKCS#8, so the other two are wrapped into PKCS#8 (RFC 5208: version 0, the
 * algorithm identifier, the key as an octet string): no parsing of the key itself is needed beyond
 * finding an EC key's named curve.
 */
final class PemKeys {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
  // AlgorithmIdentifier DER: rsaEncryption with NULL parameters.
  private static final byte[] RSA_ALGORITHM = hex("300d06092a864886f70d0101010500");
  // OID id-ecPublicKey (1.2.840.10045.2.1).
  private static final byte[] EC_PUBLIC_KEY_OID = hex("06072a8648ce3d0201");

  private PemKeys() {}

  /** @throws IllegalArgumentException with a short reason */
  static PrivateKey parse(byte[] pem) {
    Matcher m = BLOCK.matcher(new String(pem, StandardCharsets.US_ASCII));
    while (m.find()) {
      String type = m.group(1);
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(m.group(2));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid base64 in " + type);
      }
      try {
        return switch (type) {
          case "PRIVATE KEY" -> pkcs8(der);
          case "RSA PRIVATE KEY" -> KeyFactory.getInstance("RSA")
              .generatePrivate(new PKCS8EncodedKeySpec(wrap(RSA_ALGORITHM, der)));
          case "EC PRIVATE KEY" -> KeyFactory.getInstance("EC")
              .generatePrivate(new PKCS8EncodedKeySpec(wrap(ecAlgorithm(der), der)));
          case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException("the key is encrypted");
          default -> null; // EC PARAMETERS and the like: skip to the key
        };
      } catch (GeneralSecurityException | RuntimeException e) {
        if (e instanceof IllegalArgumentException iae && iae.getMessage() != null
            && iae.getMessage().startsWith("the key")) {
          throw iae;
        }
        throw new IllegalArgumentException("unreadable " + type + ": " + e.getMessage());
      }
    }
    throw new IllegalArgumentException("no BEGIN PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block");
  }

  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    for (String algorithm : new String[] {"RSA", "EC"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new GeneralSecurityException("not an RSA or EC key");
  }

  /** The AlgorithmIdentifier of a SEC1 key: id-ecPublicKey with the curve from its [0] parameters. */
  private static byte[] ecAlgorithm(byte[] sec1) {
    Der outer = new Der(sec1, 0);
    int p = outer.contentStart;
    Der version = new Der(sec1, p);
    Der key = new Der(sec1, version.end);
    if (key.end < outer.end && (sec1[key.end] & 0xff) == 0xa0) {
      Der parameters = new Der(sec1, key.end);
      Der curve = new Der(sec1, parameters.contentStart);
      if (sec1[curve.start] == 0x06) {
        byte[] oid = Arrays.copyOfRange(sec1, curve.start, curve.end);
        return sequence(concat(EC_PUBLIC_KEY_OID, oid));
      }
    }
    throw new IllegalArgumentException("the EC key names no curve (expected: a named curve such as P-256)");
  }

  private static byte[] wrap(byte[] algorithm, byte[] key) {
    byte[] version = {0x02, 0x01, 0x00};
    return sequence(concat(version, algorithm, tagged(0x04, key)));
  }

  private static byte[] sequence(byte[] content) {
    return tagged(0x30, content);
  }

  private static byte[] tagged(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else if (n < 0x10000) {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n & 0xff);
    } else {
      out.write(0x83);
      out.write(n >> 16);
      out.write((n >> 8) & 0xff);
      out.write(n & 0xff);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] hex(String s) {
    return java.util.HexFormat.of().parseHex(s);
  }

  /** One DER element's bounds (definite lengths only, as DER requires). */
  private static final class Der {
    final int start;
    final int contentStart;
    final int end;

    Der(byte[] b, int at) {
      if (at + 2 > b.length) {
        throw new IllegalArgumentException("truncated DER");
      }
      start = at;
      int length = b[at + 1] & 0xff;
      int p = at + 2;
      if (length >= 0x80) {
        int count = length & 0x7f;
        if (count == 0 || count > 3 || p + count > b.length) {
          throw new IllegalArgumentException("bad DER length");
        }
        length = 0;
        for (int i = 0; i < count; i++) {
          length = (length << 8) | (b[p++] & 0xff);
        }
      }
      contentStart = p;
      end = p + length;
      if (end > b.length) {
        throw new IllegalArgumentException("truncated DER");
      }
    }
  }
}
