package io.edgeway.admin;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The admin API's bearer token ({@code admin.token}). A presented token is compared in constant
 * time: both sides are hashed to fixed-length SHA-256 digests first, so neither the position of
 * the first differing byte nor the token's length shows in how long the comparison takes
 * ({@link MessageDigest#isEqual} alone returns early on a length mismatch).
 */
final class AdminToken {
  private static final String BEARER = "bearer ";

  /** What a request showed, in the terms RFC 6750 answers with. */
  enum Outcome {
    ACCEPTED,
    MISSING,
    INVALID
  }

  private final byte[] expectedDigest;

  AdminToken(String token) {
    requireNonNull(token, "token");
    this.expectedDigest = sha256(token);
  }

  /** Checks an {@code Authorization} header value (null when the request had none). */
  Outcome check(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      return Outcome.MISSING;
    }
    String value = authorization.strip();
    // The scheme is case-insensitive (RFC 9110 section 11.1); the token itself is compared exactly.
    if (value.length() <= BEARER.length() || !value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Outcome.INVALID;
    }
    String presented = value.substring(BEARER.length()).strip();
    return MessageDigest.isEqual(expectedDigest, sha256(presented)) ? Outcome.ACCEPTED : Outcome.INVALID;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 (MessageDigest's contract).
      throw new IllegalStateException(e);
    }
  }
}
