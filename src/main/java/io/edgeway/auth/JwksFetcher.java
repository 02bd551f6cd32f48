package io.edgeway.auth;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;

/**
 * Fetches a JWK Set document asynchronously with the Vert.x client: never blocks a thread, one
 * deadline for connect plus the whole response, a size limit enforced while reading (and up front
 * from Content-Length), no redirects, only 200 accepted.
 */
final class JwksFetcher {
  private final Vertx vertx;
  private final HttpClient client;
  private final String url;
  private final long timeoutMillis;
  private final long maxBytes;

  JwksFetcher(Vertx vertx, HttpClient client, String url, long timeoutMillis, long maxBytes) {
    this.vertx = requireNonNull(vertx, "vertx");
    this.client = requireNonNull(client, "client");
    this.url = requireNonNull(url, "url");
    this.timeoutMillis = timeoutMillis;
    this.maxBytes = maxBytes;
  }

  /** The document text, or a failure whose message says what went wrong (never key material). */
  Future<String> fetch() {
    Promise<String> result = Promise.promise();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
        .setConnectTimeout(timeoutMillis).setIdleTimeout(timeoutMillis).setFollowRedirects(false)
        .putHeader("Accept", "application/jwk-set+json, application/json");
    long[] timer = new long[1];
    client.request(options).onFailure(result::tryFail).onSuccess(req -> {
      timer[0] = vertx.setTimer(timeoutMillis, t -> {
        if (result.tryFail(new TimeoutException("no complete answer within " + timeoutMillis + " ms"))) {
          req.reset();
        }
      });
      req.send().onFailure(result::tryFail).onSuccess(resp -> {
        if (resp.statusCode() != 200) {
          result.tryFail("answered " + resp.statusCode() + " (expected: 200)");
          resp.exceptionHandler(e -> {});
          req.reset();
          return;
        }
        String length = resp.getHeader("Content-Length");
        if (length != null && parseLong(length) > maxBytes) {
          result.tryFail("document of " + length + " bytes (expected: at most " + maxBytes + ")");
          resp.exceptionHandler(e -> {});
          req.reset();
          return;
        }
        Buffer body = Buffer.buffer();
        resp.exceptionHandler(result::tryFail);
        resp.handler(chunk -> {
          if (body.length() + chunk.length() > maxBytes) {
            if (result.tryFail("document larger than " + maxBytes + " bytes")) {
              req.reset();
            }
            return;
          }
          body.appendBuffer(chunk);
        });
        resp.endHandler(v -> result.tryComplete(body.toString(StandardCharsets.UTF_8)));
      });
    });
    return result.future().onComplete(ar -> vertx.cancelTimer(timer[0]));
  }

  private static long parseLong(String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }
}
