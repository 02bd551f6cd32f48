package io.edgeway.tracing;

import io.edgeway.exchange.DefaultExchange;
import io.edgeway.exchange.RequestSpan;
import io.edgeway.exchange.SpanHandle;
import io.edgeway.spi.ExchangeOutcome;
import io.edgeway.spi.StandardAttributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

/** The SERVER span of one traced request, and the parent of its CLIENT spans. */
final class OtelRequestSpan implements RequestSpan {
  private final Tracer tracer;
  private final Span server;
  private final Context context;

  OtelRequestSpan(Tracer tracer, Span server) {
    this.tracer = tracer;
    this.server = server;
    this.context = Context.root().with(server);
  }

  @Override
  public SpanHandle startChild(String name) {
    return new OtelSpanHandle(tracer.spanBuilder(name).setParent(context).setSpanKind(SpanKind.CLIENT).startSpan());
  }

  @Override
  public SpanHandle startUpstreamAttempt(
      String method, String targetUrl, String host, int port, String path, int attempt) {
    // url.full without the query: a query may carry credentials.
    var builder = tracer.spanBuilder(method).setParent(context).setSpanKind(SpanKind.CLIENT)
        .setAttribute(SpanAttributes.HTTP_METHOD, method)
        .setAttribute(SpanAttributes.URL_FULL, targetUrl + path)
        .setAttribute(SpanAttributes.SERVER_ADDRESS, host)
        .setAttribute(SpanAttributes.SERVER_PORT, port)
        .setAttribute(SpanAttributes.UPSTREAM_TARGET, targetUrl)
        .setAttribute(SpanAttributes.ATTEMPT, attempt);
    if (attempt > 1) {
      builder.setAttribute(SpanAttributes.RESEND_COUNT, attempt - 1);
    }
    return new OtelSpanHandle(builder.startSpan());
  }

  @Override
  public void end(DefaultExchange ex, ExchangeOutcome outcome) {
    int status = outcome.status();
    server.setAttribute(SpanAttributes.HTTP_STATUS, status);
    if (ex.routeId() != null) {
      server.setAttribute(SpanAttributes.ROUTE, ex.routeId());
    }
    String target = ex.get(StandardAttributes.UPSTREAM_TARGET);
    if (target != null) {
      server.setAttribute(SpanAttributes.UPSTREAM_TARGET, target);
    }
    Integer attempts = ex.get(StandardAttributes.ATTEMPTS);
    if (attempts != null) {
      server.setAttribute(SpanAttributes.ATTEMPTS, attempts);
    }
    String code = outcome.errorCode();
    if (code != null) {
      server.setAttribute(SpanAttributes.ERROR_CODE, code);
    }
    if (outcome.clientAborted()) {
      server.setAttribute(SpanAttributes.CLIENT_ABORTED, true);
    }
    // HTTP semantic conventions: on a SERVER span only 5xx is an error (4xx is the client's).
    if (status >= 500) {
      server.setAttribute(SpanAttributes.ERROR_TYPE, code != null ? code : Integer.toString(status));
      server.setStatus(StatusCode.ERROR);
    }
    server.end();
  }
}
