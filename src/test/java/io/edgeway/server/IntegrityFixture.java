package io.edgeway.server;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.exchange.DefaultExchange;
import io.edgeway.runtime.GatewayModule;
import io.edgeway.spi.ExchangeOutcome;
import io.edgeway.testing.RawClient;
import io.edgeway.testing.RawHttp.RawResponse;
import io.edgeway.testing.RawUpstream;
import io.edgeway.testing.RawUpstream.Connection;
import io.edgeway.testing.RawUpstream.Request;
import io.edgeway.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The gateway of the request-integrity tests (issue 14): every route goes to one
 * {@link RawUpstream}, so each test can assert what the upstream received byte for byte, and a
 * module records every exchange outcome. Timeouts are short so failures show fast:
 * {@code body-idle-timeout: 1s}, while the keep-alive idle timeout and the routes' response
 * timeouts are 30 s, so a connection closed within a few seconds was closed for the body.
 */
final class IntegrityFixture implements AutoCloseable {
  static final Duration BODY_IDLE = Duration.ofSeconds(1);
  /** How long the gateway may take to close an upstream connection whose request failed. */
  static final Duration CLOSE_WITHIN = Duration.ofSeconds(5);
  /** Time to watch for something that must not happen (a late request reaching the upstream). */
  static final Duration QUIET = Duration.ofMillis(700);

  /** The server and admin sections every integrity gateway uses. */
  static final String SERVER = """
      server:
        host: 127.0.0.1
        port: 0
        instances: 1
        limits: { body-idle-timeout: 1s, idle-timeout: 30s, header-read-timeout: 5s, max-body-size: 1MiB }
      admin: { host: 127.0.0.1, port: 0 }
      """;

  /** One completed exchange as the observers saw it. */
  record Outcome(String requestId, String routeId, String path, ExchangeOutcome outcome) {}

  private static final AtomicInteger IDS = new AtomicInteger();

  final Vertx vertx;
  final RawUpstream upstream;
  final TestGateway gateway;
  private final List<Outcome> outcomes;

  private IntegrityFixture(Vertx vertx, RawUpstream upstream, TestGateway gateway, List<Outcome> outcomes) {
    this.vertx = vertx;
    this.upstream = upstream;
    this.gateway = gateway;
    this.outcomes = outcomes;
  }

  /**
   * Starts a gateway whose {@code routes} (YAML text with {@code %1$s} standing for the raw
   * upstream's URL) follow {@link #SERVER}.
   */
  static IntegrityFixture start(String routes) throws Exception {
    Vertx vertx = TestVertx.create();
    RawUpstream upstream = RawUpstream.start();
    List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    GatewayModule recorder = new GatewayModule() {
      @Override
      public String name() {
        return "test-outcomes";
      }

      @Override
      public Future<Void> start(Context context) {
        context.runtime().addObserver((DefaultExchange ex, ExchangeOutcome outcome) ->
            outcomes.add(new Outcome(ex.requestId(), ex.routeId(), ex.request().path(), outcome)));
        return Future.succeededFuture();
      }
    };
    try {
      TestGateway gateway = TestGateway.start(vertx, SERVER + routes.formatted(upstream.url()), List.of(recorder));
      return new IntegrityFixture(vertx, upstream, gateway, outcomes);
    } catch (Exception | Error e) {
      upstream.close();
      vertx.close().await(10, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** Every outcome recorded so far. */
  List<Outcome> outcomes() {
    return outcomes;
  }

  int port() {
    return gateway.port();
  }

  RawClient client() throws java.io.IOException {
    return RawClient.connect(port());
  }

  /** A path under {@code routePrefix} no other test uses, e.g. {@code /r1/t17-chunk}. */
  static String uniquePath(String routePrefix, String name) {
    return routePrefix + "/t" + IDS.incrementAndGet() + "-" + name;
  }

  /** A request id no other test uses (the gateway keeps a well-formed client id). */
  static String uniqueRequestId(String name) {
    return "it-" + IDS.incrementAndGet() + "-" + name;
  }

  /** A problem+json response with this status (and, when given, this code). */
  static void assertProblem(RawResponse r, int status, String code) {
    assertThat(r.status()).as("status; response head:\n%s\nbody: %s", r.raw(), r.body()).isEqualTo(status);
    assertThat(r.header("content-type")).as("content-type; %s", r.raw()).isEqualTo("application/problem+json");
    if (code != null) {
      assertThat(r.body()).as("problem body").contains("\"code\":\"" + code + "\"");
    }
  }

  /**
   * The upstream never saw a complete request for {@code path}, and every upstream connection
   * that carried part of it is closed by {@code closeDeadlineNanos} ({@link System#nanoTime()});
   * returns the ids of those connections.
   */
  Set<Integer> assertUpstreamNeverCompleted(String path, long closeDeadlineNanos) {
    // The request may still be on its way to the upstream: let it arrive before judging.
    RawUpstream.waitFor(QUIET, () -> !upstream.connectionsCarrying(path).isEmpty());
    Duration left = Duration.ofNanos(Math.max(0, closeDeadlineNanos - System.nanoTime()));
    RawUpstream.awaitCondition(left,
        () -> "every upstream connection carrying " + path + " closed by the gateway in time; connections: "
            + upstream.describe(),
        () -> upstream.connectionsCarrying(path).stream().allMatch(Connection::closed));
    // A request still on its way must not complete later either.
    RawUpstream.holdsFor(QUIET, () -> upstream.completeRequests(path).isEmpty());
    List<Request> complete = upstream.completeRequests(path);
    assertThat(complete).as("complete requests the upstream received for %s; connections: %s", path,
        upstream.describe()).isEmpty();
    List<Connection> carrying = upstream.connectionsCarrying(path);
    for (Connection c : carrying) {
      assertThat(c.closed()).as("upstream connection #%d that carried %s is closed; %s", c.id(), path,
          upstream.describe()).isTrue();
      assertThat(c.peerClosed()).as("closed by the gateway").isTrue();
    }
    return carrying.stream().map(Connection::id).collect(Collectors.toSet());
  }

  /** Same, with the deadline {@link #CLOSE_WITHIN} from now. */
  Set<Integer> assertUpstreamNeverCompleted(String path) {
    return assertUpstreamNeverCompleted(path, System.nanoTime() + CLOSE_WITHIN.toNanos());
  }

  /**
   * A good request on the route of {@code routePrefix}, from a new client connection, succeeds and
   * reaches the upstream intact on a connection other than {@code poisoned}.
   */
  Request assertFollowUpSucceeds(String routePrefix, Set<Integer> poisoned) throws Exception {
    String path = uniquePath(routePrefix, "follow-up");
    try (RawClient c = client()) {
      c.write("POST " + path + " HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nfinal");
      RawResponse r = c.readResponse(Duration.ofSeconds(5));
      assertThat(r.status()).as("follow-up on the same route: %s\n%s", r.raw(), r.body()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("ok");
    }
    Request got = upstream.awaitCompleteRequests(path, 1, Duration.ofSeconds(5)).get(0);
    assertThat(got.body()).isEqualTo("final");
    assertThat(got.connectionId()).as("the follow-up must not reuse a connection that carried the failed request; %s",
        upstream.describe()).isNotIn(poisoned);
    assertThat(upstream.connection(got.connectionId()).parseError()).isNull();
    return got;
  }

  /** The outcomes recorded for this request id, once at least one arrived and a short quiet period passed. */
  List<Outcome> awaitOutcomes(String requestId) {
    RawUpstream.awaitCondition(Duration.ofSeconds(5), () -> "an exchange outcome for " + requestId + "; all: " + outcomes(),
        () -> outcomes().stream().anyMatch(o -> requestId.equals(o.requestId())));
    RawUpstream.holdsFor(Duration.ofMillis(300), () -> true);
    return outcomes().stream().filter(o -> requestId.equals(o.requestId())).toList();
  }

  @Override
  public void close() throws Exception {
    try {
      gateway.close();
    } finally {
      upstream.close();
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
