package io.edgeway.spi;

import java.util.Locale;

/**
 * A size in bytes as written in configuration: {@code 512}, {@code 512B}, {@code 64KiB},
 * {@code 10MiB}, {@code 1GiB} (also {@code KB}/{@code MB}/{@code GB} as powers of 1000).
 *
 * @param bytes the size in bytes, never negative
 */
public record DataSize(long bytes) {

  /** Validates the size. */
  public DataSize {
    if (bytes < 0) {
      throw new IllegalArgumentException(bytes + " (expected: a size >= 0)");
    }
  }

  /** A size of the given number of bytes. */
  public static DataSize ofBytes(long bytes) {
    return new DataSize(bytes);
  }

  /**
   * Parses a size such as {@code 64KiB}.
   *
   * @throws IllegalArgumentException with a message in the form {@code value (expected: ...)}
   */
  public static DataSize parse(String text) {
    String s = text.trim();
    int i = 0;
    while (i < s.length() && Character.isDigit(s.charAt(i))) {
      i++;
    }
    String unit = s.substring(i).trim().toLowerCase(Locale.ROOT);
    long multiplier = switch (unit) {
      case "", "b" -> 1L;
      case "kib", "k" -> 1L << 10;
      case "mib", "m" -> 1L << 20;
      case "gib", "g" -> 1L << 30;
      case "kb" -> 1_000L;
      case "mb" -> 1_000_000L;
      case "gb" -> 1_000_000_000L;
      default -> -1L;
    };
    if (i == 0 || multiplier < 0 || i > 15) {
      throw new IllegalArgumentException(text + " (expected: a size such as 512B, 64KiB, 10MiB, 1GiB)");
    }
    return new DataSize(Math.multiplyExact(Long.parseLong(s.substring(0, i)), multiplier));
  }

  @Override
  public String toString() {
    if (bytes != 0 && bytes % (1L << 30) == 0) return bytes / (1L << 30) + "GiB";
    if (bytes != 0 && bytes % (1L << 20) == 0) return bytes / (1L << 20) + "MiB";
    if (bytes != 0 && bytes % (1L << 10) == 0) return bytes / (1L << 10) + "KiB";
    return bytes + "B";
  }
}
