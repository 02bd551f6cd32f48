package io.edgeway.http;

import static java.util.Objects.requireNonNull;

/**
 * Computes the one canonical form of a request path (RFC 3986 §6.2.2 plus the stricter rules of
 * security.md §2.B), or refuses the path.
 *
 * <p>Rules, in the order they matter:
 *
 * <ul>
 *   <li>The path must start with {@code /} (origin-form); the caller has already split off the
 *       query at the first {@code ?} and deals with {@code OPTIONS *} itself.
 *   <li>Refused outright (400): {@code %2F}, raw or encoded backslash, raw controls, space and
 *       {@code %00}-{@code %1F}/{@code %7F}, malformed escapes, {@code #}, {@code ;} anywhere
 *       (matrix parameters and {@code ..;} are read differently by Java upstreams), raw bytes
 *       {@code >= 0x80}, percent-encoded bytes that are not valid UTF-8 (overlong, truncated,
 *       surrogates), and the characters RFC 3986 does not allow unencoded in a path
 *       ({@code " < > [ ] ^ ` { | }} and {@code ?}).
 *   <li>Escapes of unreserved characters ({@code ALPHA DIGIT - . _ ~}) are decoded, exactly once;
 *       every other escape stays encoded with upper-case hex, so {@code %23}, {@code %3F} and
 *       {@code %25} keep their meaning on the next hop.
 *   <li>Dot segments are removed after decoding (RFC 3986 §5.2.4), never climbing above the root;
 *       empty segments are merged; a trailing slash is kept.
 * </ul>
 *
 * <p>A path that needs no change comes back as the very same String instance; the only allocation
 * is the result record. Rejections are preallocated.
 */
public final class PathCanonicalizer {

  public static final EdgeRejection NOT_ORIGIN_FORM =
      pathRejection("not_origin_form", "Request target is not an origin-form path");
  public static final EdgeRejection ENCODED_SLASH =
      pathRejection("encoded_slash", "Encoded slash in path");
  public static final EdgeRejection BACKSLASH = pathRejection("backslash", "Backslash in path");
  public static final EdgeRejection CONTROL_CHARACTER =
      pathRejection("control_character", "Control character in path");
  public static final EdgeRejection INVALID_CHARACTER =
      pathRejection("invalid_character", "Character not allowed in path");
  public static final EdgeRejection INVALID_ESCAPE =
      pathRejection("invalid_escape", "Invalid percent-encoding in path");
  public static final EdgeRejection INVALID_UTF8 =
      pathRejection("invalid_utf8", "Percent-encoded path is not valid UTF-8");
  public static final EdgeRejection NON_ASCII =
      pathRejection("non_ascii", "Non-ASCII byte in path (expected: percent-encoded)");
  public static final EdgeRejection MATRIX_PARAMETERS =
      pathRejection("matrix_parameters", "Path parameters (;) are not accepted");
  public static final EdgeRejection FRAGMENT = pathRejection("fragment", "Fragment in request target");

  private static final CanonicalPath REJECT_NOT_ORIGIN_FORM = CanonicalPath.rejected(NOT_ORIGIN_FORM);
  private static final CanonicalPath REJECT_ENCODED_SLASH = CanonicalPath.rejected(ENCODED_SLASH);
  private static final CanonicalPath REJECT_BACKSLASH = CanonicalPath.rejected(BACKSLASH);
  private static final CanonicalPath REJECT_CONTROL = CanonicalPath.rejected(CONTROL_CHARACTER);
  private static final CanonicalPath REJECT_INVALID_CHARACTER = CanonicalPath.rejected(INVALID_CHARACTER);
  private static final CanonicalPath REJECT_INVALID_ESCAPE = CanonicalPath.rejected(INVALID_ESCAPE);
  private static final CanonicalPath REJECT_INVALID_UTF8 = CanonicalPath.rejected(INVALID_UTF8);
  private static final CanonicalPath REJECT_NON_ASCII = CanonicalPath.rejected(NON_ASCII);
  private static final CanonicalPath REJECT_MATRIX = CanonicalPath.rejected(MATRIX_PARAMETERS);
  private static final CanonicalPath REJECT_FRAGMENT = CanonicalPath.rejected(FRAGMENT);

  // Classes of raw ASCII characters in a path.
  private static final byte ALLOWED = 0;
  private static final byte CONTROL = 1;
  private static final byte INVALID = 2;
  private static final byte BACKSLASH_CHAR = 3;
  private static final byte HASH = 4;
  private static final byte SEMICOLON = 5;
  private static final byte PERCENT = 6;
  private static final byte SLASH = 7;

  private static final byte[] RAW_CLASS = new byte[128];
  private static final boolean[] UNRESERVED = new boolean[128];
  private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();

  static {
    for (int c = 0; c < 128; c++) {
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      UNRESERVED[c] = alnum || c == '-' || c == '.' || c == '_' || c == '~';
      byte cls;
      if (c < 0x20 || c == 0x7F) {
        cls = CONTROL;
      } else if (UNRESERVED[c] || "!$&'()*+,=:@".indexOf(c) >= 0) {
        cls = ALLOWED; // pchar minus ';' (RFC 3986 §3.3)
      } else if (c == '\\') {
        cls = BACKSLASH_CHAR;
      } else if (c == '#') {
        cls = HASH;
      } else if (c == ';') {
        cls = SEMICOLON;
      } else if (c == '%') {
        cls = PERCENT;
      } else if (c == '/') {
        cls = SLASH;
      } else {
        cls = INVALID; // space " < > [ ] ^ ` { | } ?
      }
      RAW_CLASS[c] = cls;
    }
  }

  private PathCanonicalizer() {}

  /**
   * Canonicalizes the path part of a request-target.
   *
   * @param rawPath the path as received, without the query
   * @return the canonical path, or a 400 rejection; never throws for any input other than null
   */
  public static CanonicalPath canonicalize(String rawPath) {
    requireNonNull(rawPath, "rawPath");
    int len = rawPath.length();
    if (len == 0 || rawPath.charAt(0) != '/') {
      return REJECT_NOT_ORIGIN_FORM;
    }
    boolean rewrite = false;
    int segmentStart = 1;
    int i = 1;
    while (i < len) {
      char c = rawPath.charAt(i);
      if (c >= 0x80) {
        return REJECT_NON_ASCII;
      }
      switch (RAW_CLASS[c]) {
        case ALLOWED:
          i++;
          break;
        case SLASH:
          rewrite |= isEmptyOrDotSegment(rawPath, segmentStart, i);
          segmentStart = ++i;
          break;
        case PERCENT: {
          int v = escapedByte(rawPath, i);
          if (v < 0) {
            return REJECT_INVALID_ESCAPE;
          }
          rewrite |= hasLowerCaseHex(rawPath, i);
          if (v >= 0x80) {
            int end = skipUtf8Sequence(rawPath, i, v);
            if (end < 0) {
              return end == -2 ? REJECT_INVALID_ESCAPE : REJECT_INVALID_UTF8;
            }
            for (int j = i + 3; j < end; j += 3) {
              rewrite |= hasLowerCaseHex(rawPath, j);
            }
            i = end;
            break;
          }
          if (UNRESERVED[v]) {
            rewrite = true;
          } else if (v == '/') {
            return REJECT_ENCODED_SLASH;
          } else if (v == '\\') {
            return REJECT_BACKSLASH;
          } else if (v < 0x20 || v == 0x7F) {
            return REJECT_CONTROL;
          }
          i += 3;
          break;
        }
        case CONTROL:
          return REJECT_CONTROL;
        case BACKSLASH_CHAR:
          return REJECT_BACKSLASH;
        case HASH:
          return REJECT_FRAGMENT;
        case SEMICOLON:
          return REJECT_MATRIX;
        default:
          return REJECT_INVALID_CHARACTER;
      }
    }
    // A trailing empty segment is the kept trailing slash, so only dot segments count here.
    if (segmentStart < len && isEmptyOrDotSegment(rawPath, segmentStart, len)) {
      rewrite = true;
    }
    return CanonicalPath.of(rewrite ? rewrite(rawPath) : rawPath);
  }

  /** Builds the canonical form of a path already known to be valid. */
  private static String rewrite(String raw) {
    int len = raw.length();
    StringBuilder out = new StringBuilder(len);
    int i = 0; // always at a '/'
    while (i < len) {
      int segmentStart = out.length();
      out.append('/');
      i++;
      while (i < len) {
        char c = raw.charAt(i);
        if (c == '/') {
          break;
        }
        if (c == '%') {
          int v = (hexValue(raw.charAt(i + 1)) << 4) | hexValue(raw.charAt(i + 2));
          if (v < 0x80 && UNRESERVED[v]) {
            out.append((char) v);
          } else {
            out.append('%').append(HEX_UPPER[v >> 4]).append(HEX_UPPER[v & 0xF]);
          }
          i += 3;
        } else {
          out.append(c);
          i++;
        }
      }
      boolean last = i >= len;
      int segmentLength = out.length() - segmentStart - 1;
      if (segmentLength == 0) {
        if (!last) {
          out.setLength(segmentStart); // merge "//"; keep a trailing slash
        }
      } else if (segmentLength == 1 && out.charAt(segmentStart + 1) == '.') {
        out.setLength(segmentStart);
        if (last) {
          out.append('/');
        }
      } else if (segmentLength == 2
          && out.charAt(segmentStart + 1) == '.'
          && out.charAt(segmentStart + 2) == '.') {
        out.setLength(segmentStart);
        int parent = out.lastIndexOf("/");
        if (parent >= 0) {
          out.setLength(parent); // above the root stays at the root
        }
        if (last) {
          out.append('/');
        }
      }
    }
    if (out.length() == 0) {
      out.append('/');
    }
    return out.toString();
  }

  /** True for "", ".", "..", or their escaped forms (which force a rewrite anyway). */
  private static boolean isEmptyOrDotSegment(String s, int from, int to) {
    int n = to - from;
    return n == 0
        || (n == 1 && s.charAt(from) == '.')
        || (n == 2 && s.charAt(from) == '.' && s.charAt(from + 1) == '.');
  }

  /** The byte of the escape at {@code s[i] == '%'}, or -1 when malformed. */
  private static int escapedByte(String s, int i) {
    if (i + 2 >= s.length()) {
      return -1;
    }
    int hi = hexValue(s.charAt(i + 1));
    int lo = hexValue(s.charAt(i + 2));
    return (hi | lo) < 0 ? -1 : (hi << 4) | lo;
  }

  private static boolean hasLowerCaseHex(String s, int percentIndex) {
    char a = s.charAt(percentIndex + 1);
    char b = s.charAt(percentIndex + 2);
    return (a >= 'a' && a <= 'f') || (b >= 'a' && b <= 'f');
  }

  /**
   * Validates one percent-encoded UTF-8 sequence (RFC 3629 §4) whose lead byte {@code lead}
   * is at {@code s[i]}.
   *
   * @return the index after the sequence, -1 when not valid UTF-8, -2 for a malformed escape
   */
  private static int skipUtf8Sequence(String s, int i, int lead) {
    int continuation;
    int secondMin = 0x80;
    int secondMax = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      continuation = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      continuation = 2;
      if (lead == 0xE0) {
        secondMin = 0xA0; // overlong
      } else if (lead == 0xED) {
        secondMax = 0x9F; // UTF-16 surrogates
      }
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      continuation = 3;
      if (lead == 0xF0) {
        secondMin = 0x90; // overlong
      } else if (lead == 0xF4) {
        secondMax = 0x8F; // above U+10FFFF
      }
    } else {
      return -1; // stray continuation byte, overlong C0/C1, or F5..FF
    }
    int j = i + 3;
    for (int k = 0; k < continuation; k++, j += 3) {
      if (j >= s.length() || s.charAt(j) != '%') {
        return -1; // truncated sequence
      }
      int b = escapedByte(s, j);
      if (b < 0) {
        return -2;
      }
      int min = k == 0 ? secondMin : 0x80;
      int max = k == 0 ? secondMax : 0xBF;
      if (b < min || b > max) {
        return -1;
      }
    }
    return j;
  }

  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }

  private static EdgeRejection pathRejection(String code, String title) {
    // The framing is intact, but a client sending such paths is probing: like every refusal at
    // the edge, it closes the connection, so nothing pipelined behind it is served.
    return new EdgeRejection(400, code, title);
  }
}
