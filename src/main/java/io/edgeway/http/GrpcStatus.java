package io.edgeway.http;

import static java.util.Objects.requireNonNull;

import io.edgeway.spi.Body;
import io.edgeway.spi.GatewayResponse;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Gateway errors as a gRPC client understands them. A gRPC client cannot read problem+json: it
 * needs HTTP 200 with {@code grpc-status} and {@code grpc-message} (a trailers-only response),
 * so every error the gateway itself answers to a request with {@code content-type:
 * application/grpc...} is translated here, in one place, from the problem's HTTP status.
 *
 * <p>A request is a gRPC request by its content type, not by a route flag: the client declares
 * what it can parse, and a route may serve gRPC and plain HTTP side by side.
 */
public final class GrpcStatus {
  public static final int OK = 0;
  public static final int CANCELLED = 1;
  public static final int UNKNOWN = 2;
  public static final int INVALID_ARGUMENT = 3;
  public static final int DEADLINE_EXCEEDED = 4;
  public static final int NOT_FOUND = 5;
  public static final int PERMISSION_DENIED = 7;
  public static final int RESOURCE_EXHAUSTED = 8;
  public static final int UNIMPLEMENTED = 12;
  public static final int INTERNAL = 13;
  public static final int UNAVAILABLE = 14;
  public static final int UNAUTHENTICATED = 16;

  private static final String CONTENT_TYPE = "content-type";
  private static final String GRPC = "application/grpc";
  /** Headers of the problem answer a gRPC client can still use. */
  private static final String[] KEPT = {"retry-after", "www-authenticate", "allow", "x-request-id"};

  private GrpcStatus() {}

  /** True when the request's content type is {@code application/grpc} or one of its subtypes. */
  public static boolean isGrpc(MultiMap requestHeaders) {
    String type = requestHeaders.get(CONTENT_TYPE);
    if (type == null || !type.regionMatches(true, 0, GRPC, 0, GRPC.length())) {
      return false;
    }
    return type.length() == GRPC.length() || type.charAt(GRPC.length()) == '+' || type.charAt(GRPC.length()) == ';';
  }

  /**
   * The gRPC status for a gateway error's HTTP status. Follows gRPC's HTTP mapping
   * (doc/http-grpc-status-mapping.md) where the gateway's meaning is the same, and is more precise
   * where the gateway knows more: 429 and 413/431 are RESOURCE_EXHAUSTED (a quota or a limit, not
   * an outage), 504 and 408 are DEADLINE_EXCEEDED, 499 (the client went away) CANCELLED.
   */
  public static int forHttpStatus(int status) {
    return switch (status) {
      case 400 -> INTERNAL;
      case 401 -> UNAUTHENTICATED;
      case 403 -> PERMISSION_DENIED;
      case 404, 405, 501 -> UNIMPLEMENTED;
      case 408, 504 -> DEADLINE_EXCEEDED;
      case 413, 414, 431, 429 -> RESOURCE_EXHAUSTED;
      case 499 -> CANCELLED;
      case 502, 503 -> UNAVAILABLE;
      default -> status >= 500 ? INTERNAL : UNKNOWN;
    };
  }

  /**
   * The trailers-only gRPC answer standing for a gateway error: HTTP 200, {@code grpc-status},
   * {@code grpc-message} naming the error code and HTTP status, and the problem's
   * {@code Retry-After}, {@code WWW-Authenticate}, {@code Allow} and request id.
   */
  public static GatewayResponse fromProblem(GatewayResponse problem, String errorCode) {
    requireNonNull(problem, "problem");
    problem.body().discard();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    headers.set(CONTENT_TYPE, GRPC);
    headers.set("grpc-status", Integer.toString(forHttpStatus(problem.status())));
    String message = "edgeway: " + (errorCode == null ? "error" : errorCode) + " (HTTP " + problem.status() + ")";
    headers.set("grpc-message", percentEncode(message));
    for (Map.Entry<String, String> header : problem.headers()) {
      for (String kept : KEPT) {
        if (kept.equalsIgnoreCase(header.getKey())) {
          headers.add(header.getKey(), header.getValue());
        }
      }
    }
    return GatewayResponse.of(200, headers, Body.empty());
  }

  /**
   * The client's deadline from {@code grpc-timeout} (1-8 digits and a unit H, M, S, m, u, n), in
   * milliseconds rounded up; -1 when absent or malformed (then the route's timeouts alone apply).
   */
  public static long timeoutMillis(String grpcTimeout) {
    if (grpcTimeout == null) {
      return -1;
    }
    int n = grpcTimeout.length();
    if (n < 2 || n > 9) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < n - 1; i++) {
      char c = grpcTimeout.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return switch (grpcTimeout.charAt(n - 1)) {
      case 'H' -> value * 3_600_000;
      case 'M' -> value * 60_000;
      case 'S' -> value * 1000;
      case 'm' -> value;
      case 'u' -> (value + 999) / 1000;
      case 'n' -> (value + 999_999) / 1_000_000;
      default -> -1;
    };
  }

  /** grpc-message is percent-encoded UTF-8 (gRPC over HTTP/2, "Responses"). */
  static String percentEncode(String message) {
    StringBuilder out = new StringBuilder(message.length());
    for (byte b : message.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if (c >= 0x20 && c <= 0x7E && c != '%') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return out.toString();
  }
}
