package io.edgeway.testkit;

import static java.util.Objects.requireNonNull;

import io.edgeway.spi.Body;
import io.edgeway.spi.Exchange;
import io.edgeway.spi.FilterChain;
import io.edgeway.spi.GatewayResponse;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * The rest of a chain, scripted: what the filter under test gets back when it calls
 * {@link #proceed}, one step per call (the last step repeats), and a record of the request as it
 * was at each call, so a test can assert what the upstream would have received.
 *
 * <pre>{@code
 * ScriptedChain chain = ScriptedChain.respond(503).then(200);   // a retry sees 503, then 200
 * Await.result(filter.filter(exchange, chain));
 * assertThat(chain.calls()).isEqualTo(2);
 * assertThat(chain.lastRequest().headers().get("X-User")).isEqualTo("alice");
 * }</pre>
 */
public final class ScriptedChain implements FilterChain {
  private final Deque<Function<Exchange, Future<GatewayResponse>>> steps = new ArrayDeque<>();
  private Function<Exchange, Future<GatewayResponse>> last;
  private final List<SentRequest> sent = new ArrayList<>();

  private ScriptedChain(Function<Exchange, Future<GatewayResponse>> first) {
    then(first);
  }

  /**
   * A chain whose upstream answers {@code status} with no headers and no body.
   *
   * @param status the HTTP status
   * @return the chain
   */
  public static ScriptedChain respond(int status) {
    return new ScriptedChain(exchange -> Future.succeededFuture(GatewayResponse.of(status)));
  }

  /**
   * A chain whose upstream answers {@code status} with a UTF-8 text body.
   *
   * @param status the HTTP status
   * @param body the body
   * @return the chain
   */
  public static ScriptedChain respond(int status, String body) {
    return new ScriptedChain(exchange -> Future.succeededFuture(
        GatewayResponse.of(status, MultiMap.caseInsensitiveMultiMap(), Body.of(body))));
  }

  /**
   * A chain that computes each response from the exchange (e.g. to echo a header).
   *
   * @param responder called per {@link #proceed}, on the caller's thread
   * @return the chain
   */
  public static ScriptedChain respondWith(Function<Exchange, GatewayResponse> responder) {
    requireNonNull(responder, "responder");
    return new ScriptedChain(exchange -> Future.succeededFuture(responder.apply(exchange)));
  }

  /**
   * A chain that fails, as an unreachable upstream or a downstream filter would.
   *
   * @param failure e.g. a {@link io.edgeway.spi.GatewayException} with status 502
   * @return the chain
   */
  public static ScriptedChain fail(Throwable failure) {
    requireNonNull(failure, "failure");
    return new ScriptedChain(exchange -> Future.failedFuture(failure));
  }

  /**
   * Adds a step answered after the earlier ones: {@code respond(503).then(200)}.
   *
   * @param status the status of the next response
   * @return this chain
   */
  public ScriptedChain then(int status) {
    return then(exchange -> Future.succeededFuture(GatewayResponse.of(status)));
  }

  /**
   * Adds a failing step.
   *
   * @param failure the failure of the next call
   * @return this chain
   */
  public ScriptedChain thenFail(Throwable failure) {
    requireNonNull(failure, "failure");
    return then(exchange -> Future.failedFuture(failure));
  }

  /**
   * Adds a step of any kind, e.g. one returning a future completed later by the test.
   *
   * @param step what the next call returns
   * @return this chain
   */
  public ScriptedChain then(Function<Exchange, Future<GatewayResponse>> step) {
    steps.add(requireNonNull(step, "step"));
    return this;
  }

  @Override
  public Future<GatewayResponse> proceed(Exchange exchange) {
    requireNonNull(exchange, "exchange");
    sent.add(SentRequest.of(exchange));
    Function<Exchange, Future<GatewayResponse>> step = steps.isEmpty() ? last : steps.poll();
    last = step;
    return step.apply(exchange);
  }

  /**
   * How many times the filter called {@link #proceed}.
   *
   * @return the number of calls
   */
  public int calls() {
    return sent.size();
  }

  /**
   * The requests as they were at each call, in order.
   *
   * @return snapshots, one per call
   */
  public List<SentRequest> requests() {
    return List.copyOf(sent);
  }

  /**
   * The request at the last call.
   *
   * @return the snapshot
   * @throws IllegalStateException when the filter never called the chain
   */
  public SentRequest lastRequest() {
    if (sent.isEmpty()) {
      throw new IllegalStateException("the filter did not call the chain");
    }
    return sent.get(sent.size() - 1);
  }

  /**
   * A copy of the request a filter passed down the chain, taken at the call (later edits by the
   * filter do not change it).
   *
   * @param method the method
   * @param path the path that would go upstream
   * @param query the query that would go upstream, or null
   * @param headers a copy of the headers that would go upstream
   * @param body the buffered body, or null when it was still a stream
   */
  public record SentRequest(HttpMethod method, String path, String query, MultiMap headers, Buffer body) {
    static SentRequest of(Exchange exchange) {
      var request = exchange.request();
      MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
      Body body = request.body();
      return new SentRequest(request.method(), request.upstreamPath(), request.upstreamQuery(), headers,
          body.isBuffered() ? body.buffer().copy() : null);
    }
  }
}
