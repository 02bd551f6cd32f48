package io.edgeway.exchange;

/**
 * One child span of a traced request (an upstream attempt, a key fetch, a Redis call), or
 * {@link #NONE} when the request is not traced, so callers never test for tracing themselves.
 * End it exactly once; it may be ended on any thread.
 */
public interface SpanHandle {

  /** The handle of an untraced request: every method does nothing. */
  SpanHandle NONE = new SpanHandle() {
    @Override
    public SpanHandle attribute(String key, String value) {
      return this;
    }

    @Override
    public SpanHandle attribute(String key, long value) {
      return this;
    }

    @Override
    public String traceparent() {
      return null;
    }

    @Override
    public void end(String errorType) {}
  };

  /** Records an attribute (null values are skipped). */
  SpanHandle attribute(String key, String value);

  SpanHandle attribute(String key, long value);

  /** The W3C {@code traceparent} naming this span as the parent (for a request it makes), or null. */
  String traceparent();

  /**
   * Ends the span.
   *
   * @param errorType null when the work succeeded, else what failed (a problem code such as
   *     {@code upstream_timeout}, or an exception's class): recorded as {@code error.type} with
   *     status ERROR
   */
  void end(String errorType);
}
