package io.edgeway.tracing;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The attribute keys spans carry (listed in docs/tracing.md): OpenTelemetry's HTTP semantic
 * conventions where one fits, {@code edgeway.*} for the gateway's own.
 */
final class SpanAttributes {
  static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<Long> RESEND_COUNT = AttributeKey.longKey("http.request.resend_count");
  static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
  static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
  static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> CLIENT_ADDRESS = AttributeKey.stringKey("client.address");
  static final AttributeKey<String> USER_AGENT = AttributeKey.stringKey("user_agent.original");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> ROUTE = AttributeKey.stringKey("edgeway.route");
  static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("edgeway.request_id");
  static final AttributeKey<String> ERROR_CODE = AttributeKey.stringKey("edgeway.error_code");
  static final AttributeKey<String> UPSTREAM_TARGET = AttributeKey.stringKey("edgeway.upstream.target");
  static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("edgeway.upstream.attempts");
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("edgeway.upstream.attempt");
  static final AttributeKey<Boolean> CLIENT_ABORTED = AttributeKey.booleanKey("edgeway.client_aborted");

  private SpanAttributes() {}
}
