package io.edgeway.runtime;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Which configuration is running: the hash of its text, where it came from and when it was
 * applied. Two files with the same text have the same hash ({@code ${ENV}} references are hashed
 * as written, not as substituted).
 *
 * @param hash the first 16 hex digits of the SHA-256 of the configuration text
 * @param source the file name, or {@code embedded:...} for the jar's default
 * @param loadedAt when it started serving
 */
public record ConfigVersion(String hash, String source, Instant loadedAt) {

  public ConfigVersion {
    requireNonNull(hash, "hash");
    requireNonNull(source, "source");
    requireNonNull(loadedAt, "loadedAt");
  }

  /** The hash {@link #hash()} holds for {@code text}. */
  public static String hashOf(String text) {
    requireNonNull(text, "text");
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
