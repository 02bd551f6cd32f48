package io.edgeway.http;

import static java.util.Objects.requireNonNull;

import io.vertx.core.MultiMap;
import java.util.List;

/**
 * W3C Trace Context for one request through the gateway: the trace it belongs to (continued from a
 * valid incoming {@code traceparent}, else a new one), and the gateway's own span, which becomes
 * the parent of the upstream request.
 *
 * <p>Parsing follows the W3C rules: {@code version-traceid-parentid-flags}, lower-case hex only,
 * version {@code ff} invalid, trace id and parent id not all zeros; version {@code 00} is exactly
 * 55 characters; a higher version may carry more fields after a {@code -}, which are ignored (the
 * gateway always sends version {@code 00}). Flags are passed through unchanged; a new trace gets
 * flags {@code 00} (not sampled): sampling is decided elsewhere.
 *
 * <p>{@code tracestate} is kept simple: passed through unchanged when the incoming
 * {@code traceparent} was valid, dropped otherwise (it belongs to the trace it came with).
 */
public final class TraceContext {
  private static final int VERSION_00_LENGTH = 55;
  private static final int MAX_TRACESTATE_LENGTH = 512;
  private static final String NEW_TRACE_FLAGS = "00";

  private final String traceId;
  private final String parentId;
  private final String spanId;
  private final String flags;
  private final String childTraceparent;

  private TraceContext(String traceId, String parentId, String flags) {
    this.traceId = traceId;
    this.parentId = parentId;
    this.spanId = LowerHex.random64();
    this.flags = flags;
    this.childTraceparent = "00-" + traceId + "-" + spanId + "-" + flags;
  }

  /**
   * Continues the trace of a valid {@code traceparent}, or starts a new one.
   *
   * @param traceparentOrNull the header value, or null when absent
   */
  public static TraceContext fromHeader(String traceparentOrNull) {
    if (traceparentOrNull != null && isValidTraceparent(traceparentOrNull)) {
      String t = traceparentOrNull;
      return new TraceContext(t.substring(3, 35), t.substring(36, 52), t.substring(53, 55));
    }
    return new TraceContext(LowerHex.random128(), null, NEW_TRACE_FLAGS);
  }

  /** Like {@link #fromHeader(String)}; several {@code traceparent} headers count as invalid. */
  public static TraceContext fromHeaders(MultiMap headers) {
    requireNonNull(headers, "headers");
    List<String> values = headers.getAll("traceparent");
    return fromHeader(values.size() == 1 ? values.get(0) : null);
  }

  static boolean isValidTraceparent(String s) {
    int n = s.length();
    if (n < VERSION_00_LENGTH) {
      return false;
    }
    if (!LowerHex.isLowerHex(s, 0, 2) || s.startsWith("ff")) {
      return false;
    }
    if (s.startsWith("00") ? n != VERSION_00_LENGTH : (n > VERSION_00_LENGTH && s.charAt(55) != '-')) {
      return false;
    }
    return s.charAt(2) == '-' && s.charAt(35) == '-' && s.charAt(52) == '-'
        && LowerHex.isLowerHex(s, 3, 35) && !LowerHex.isAllZero(s, 3, 35)
        && LowerHex.isLowerHex(s, 36, 52) && !LowerHex.isAllZero(s, 36, 52)
        && LowerHex.isLowerHex(s, 53, 55);
  }

  /** The 32-hex trace id, continued or new. */
  public String traceId() {
    return traceId;
  }

  /** The incoming parent id (the caller's span), or null when the trace started here. */
  public String parentId() {
    return parentId;
  }

  /** The gateway's span id for this request, 16 hex. */
  public String spanId() {
    return spanId;
  }

  /** The trace flags, 2 hex. */
  public String flags() {
    return flags;
  }

  /** True when the trace was continued from a valid incoming {@code traceparent}. */
  public boolean isContinued() {
    return parentId != null;
  }

  /** The {@code traceparent} for the upstream request: same trace and flags, the gateway's span. */
  public String childTraceparent() {
    return childTraceparent;
  }

  /**
   * The {@code tracestate} to send upstream: the incoming one when the trace was continued (and
   * the value is at most 512 characters of printable ASCII), else null (send none).
   */
  public String upstreamTracestate(String incomingTracestateOrNull) {
    if (!isContinued() || incomingTracestateOrNull == null) {
      return null;
    }
    String s = incomingTracestateOrNull;
    if (s.isEmpty() || s.length() > MAX_TRACESTATE_LENGTH) {
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        return null;
      }
    }
    return s;
  }

  @Override
  public String toString() {
    return childTraceparent;
  }
}
