package io.edgeway.server;

import io.edgeway.http.EdgeRejection;
import io.edgeway.spi.GatewayException;

/**
 * Why a client's request body did not end correctly. Whatever the reason, the upstream request it
 * was feeding is reset (never ended), and the client connection is closed after the answer: the
 * byte stream can no longer be trusted. The exception is what the body stream's reader sees; it
 * is a client error (4xx), so it never counts against an upstream target's health and is never
 * retried.
 */
enum BodyFailure {
  /** The chunked framing broke (bad chunk size, bad extension, data without its CRLF). */
  MALFORMED(400, "client_body_error", "Malformed request body framing"),
  /** The body grew past the route's limit while streaming. */
  TOO_LARGE(413, "payload_too_large", "Request body exceeds the route's limit"),
  /** The body stalled past the body-idle timeout, or took longer than the route's request-body timeout. */
  TIMEOUT(408, "request_body_timeout", "Request body not received in time"),
  /** The client closed the connection before its body ended (499, as nginx records it). */
  ABORTED(499, "client_aborted", "Client closed the connection before the request body ended");

  private final EdgeRejection rejection;
  private final GatewayException exception;

  BodyFailure(int status, String code, String title) {
    this.rejection = new EdgeRejection(status, code, title);
    this.exception = new GatewayException(status, code, title);
  }

  EdgeRejection rejection() {
    return rejection;
  }

  GatewayException exception() {
    return exception;
  }
}
