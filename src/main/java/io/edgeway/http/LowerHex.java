package io.edgeway.http;

import java.util.concurrent.ThreadLocalRandom;

/** Random lower-case hex identifiers, cheap enough for every request; never blocks. */
final class LowerHex {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private LowerHex() {}

  /**
   * 32 hex digits (128 bits), never all zero. ThreadLocalRandom, not SecureRandom: these ids must
   * be unique, not secret, and SecureRandom may block on entropy on an event loop.
   */
  static String random128() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high;
    long low;
    do {
      high = random.nextLong();
      low = random.nextLong();
    } while (high == 0 && low == 0);
    char[] out = new char[32];
    write(high, out, 0);
    write(low, out, 16);
    return new String(out);
  }

  /** 16 hex digits (64 bits), never all zero. */
  static String random64() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long value;
    do {
      value = random.nextLong();
    } while (value == 0);
    char[] out = new char[16];
    write(value, out, 0);
    return new String(out);
  }

  private static void write(long value, char[] out, int offset) {
    for (int i = 15; i >= 0; i--) {
      out[offset + i] = DIGITS[(int) (value & 0xF)];
      value >>>= 4;
    }
  }

  /** True when {@code s[from..to)} is all lower-case hex digits. */
  static boolean isLowerHex(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /** True when {@code s[from..to)} is all '0'. */
  static boolean isAllZero(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }
}
