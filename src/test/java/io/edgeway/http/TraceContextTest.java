package io.edgeway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceContextTest {

  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String PARENT = "00f067aa0ba902b7";
  private static final String VALID = "00-" + TRACE + "-" + PARENT + "-01";

  @Test
  @DisplayName("a valid traceparent is continued: same trace and flags, new span as parent of the upstream call")
  void continuesValidTrace() {
    TraceContext ctx = TraceContext.fromHeader(VALID);
    assertThat(ctx.isContinued()).isTrue();
    assertThat(ctx.traceId()).isEqualTo(TRACE);
    assertThat(ctx.parentId()).isEqualTo(PARENT);
    assertThat(ctx.flags()).isEqualTo("01");
    assertThat(ctx.spanId()).matches("[0-9a-f]{16}").isNotEqualTo(PARENT).isNotEqualTo("0000000000000000");
    assertThat(ctx.childTraceparent()).isEqualTo("00-" + TRACE + "-" + ctx.spanId() + "-01");
    assertThat(TraceContext.isValidTraceparent(ctx.childTraceparent())).isTrue();
  }

  @Test
  @DisplayName("each request gets its own span id")
  void spanIdsDiffer() {
    assertThat(TraceContext.fromHeader(VALID).spanId()).isNotEqualTo(TraceContext.fromHeader(VALID).spanId());
  }

  @ParameterizedTest(name = "invalid traceparent [{0}] starts a new trace")
  @ValueSource(strings = {
    "",
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0",
    "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01",
    "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
    "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
    "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g",
    "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    "0x-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",
    "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",
  })
  void invalidStartsNewTrace(String header) {
    TraceContext ctx = TraceContext.fromHeader(header);
    assertThat(ctx.isContinued()).isFalse();
    assertThat(ctx.parentId()).isNull();
    assertThat(ctx.traceId()).matches("[0-9a-f]{32}").isNotEqualTo(TRACE).isNotEqualTo("0".repeat(32));
    assertThat(ctx.flags()).isEqualTo("00");
    assertThat(TraceContext.isValidTraceparent(ctx.childTraceparent())).isTrue();
  }

  @Test
  @DisplayName("a higher version is parsed by its first four fields; the gateway sends version 00")
  void higherVersion() {
    TraceContext ctx = TraceContext.fromHeader("01-" + TRACE + "-" + PARENT + "-01-future-stuff");
    assertThat(ctx.isContinued()).isTrue();
    assertThat(ctx.childTraceparent()).startsWith("00-" + TRACE + "-").endsWith("-01");
    assertThat(TraceContext.fromHeader("01-" + TRACE + "-" + PARENT + "-01").isContinued()).isTrue();
  }

  @Test
  @DisplayName("absent header starts a new trace; several traceparent headers count as invalid")
  void absentOrSeveral() {
    assertThat(TraceContext.fromHeader(null).isContinued()).isFalse();
    MultiMap one = MultiMap.caseInsensitiveMultiMap().add("traceparent", VALID);
    assertThat(TraceContext.fromHeaders(one).traceId()).isEqualTo(TRACE);
    MultiMap two = MultiMap.caseInsensitiveMultiMap().add("traceparent", VALID).add("traceparent", VALID);
    assertThat(TraceContext.fromHeaders(two).isContinued()).isFalse();
  }

  @Test
  @DisplayName("tracestate is passed through only with a valid traceparent")
  void tracestate() {
    assertThat(TraceContext.fromHeader(VALID).upstreamTracestate("congo=t61rcWkgMzE")).isEqualTo("congo=t61rcWkgMzE");
    assertThat(TraceContext.fromHeader(VALID).upstreamTracestate(null)).isNull();
    assertThat(TraceContext.fromHeader("garbage").upstreamTracestate("congo=t61rcWkgMzE")).isNull();
    assertThat(TraceContext.fromHeader(VALID).upstreamTracestate("a=" + "x".repeat(600))).isNull();
    assertThat(TraceContext.fromHeader(VALID).upstreamTracestate("a=b\u0000")).isNull();
  }
}
