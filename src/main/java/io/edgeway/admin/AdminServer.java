package io.edgeway.admin;

import static java.util.Objects.requireNonNull;

import io.edgeway.config.MatchConfig;
import io.edgeway.config.RouteConfig;
import io.edgeway.config.TargetConfig;
import io.edgeway.exchange.JsonEncoder;
import io.edgeway.exchange.ProblemResponses;
import io.edgeway.runtime.CompiledRoute;
import io.edgeway.runtime.GatewayRuntime;
import io.edgeway.runtime.RouteSnapshot;
import io.edgeway.spi.GatewayException;
import io.edgeway.spi.GatewayResponse;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API on its own port (127.0.0.1 by default, never the public listener):
 * {@code GET /health} (liveness), {@code GET /ready} (config loaded and listeners bound),
 * {@code GET /routes} (the running route table), and the dashboard at {@code GET /}
 * ({@link Dashboard}). Other features register more endpoints with {@link #register} (JSON) and
 * {@link #registerHandler} (anything else, e.g. {@code GET /metrics}); docs/admin.md lists them all.
 *
 * <p>With a token ({@code admin.token}, required off loopback), every request but
 * {@code /health} and {@code /ready} must carry {@code Authorization: Bearer <token>}; without it
 * the answer is 401 problem+json ({@code missing_token} or {@code invalid_token}) with
 * {@code WWW-Authenticate: Bearer}, before the path is even looked up, so an unauthenticated
 * caller cannot tell which endpoints exist. The two probes stay open: orchestrators and load
 * balancers call them without credentials, and they reveal only up/ready and, while not ready,
 * the names of the pending readiness checks.
 *
 * <p>Every request gets an answer: an endpoint whose handler throws, whose future fails, or
 * whose document cannot be encoded answers 500 problem+json and the cause is logged at ERROR.
 * Answers are encoded by {@link JsonEncoder}, the codec the shipped jar really has.
 */
public final class AdminServer {
  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
  private static final String JSON = "application/json";
  /** Answer without the token: liveness and readiness probes (see the class comment). */
  /** The probes, and the dashboard's static files (no data: the page asks for the token itself). */
  private static final Set<String> OPEN_PATHS = Set.of("/health", "/ready", "/", "/dashboard.js", "/dashboard.css");
  private static final String REALM = "Bearer realm=\"edgeway-admin\"";

  private final Vertx vertx;
  private final GatewayRuntime runtime;
  private final Map<String, Function<HttpServerRequest, Future<JsonObject>>> endpoints = new LinkedHashMap<>();
  private final Map<String, Handler<HttpServerRequest>> rawEndpoints = new LinkedHashMap<>();
  private final Map<String, HttpMethod> methods = new LinkedHashMap<>();
  private final AdminToken token;
  private HttpServer server;

  /** An admin API that requires no token (loopback only: {@code AdminConfig} enforces it). */
  public AdminServer(Vertx vertx, GatewayRuntime runtime) {
    this(vertx, runtime, null);
  }

  /**
   * An admin API requiring {@code Authorization: Bearer <token>} on every endpoint but the probes;
   * {@code token} null: none required.
   */
  public AdminServer(Vertx vertx, GatewayRuntime runtime, String token) {
    this.vertx = requireNonNull(vertx, "vertx");
    this.runtime = requireNonNull(runtime, "runtime");
    this.token = token == null ? null : new AdminToken(token);
    endpoints.put("/health", req -> Future.succeededFuture(new JsonObject().put("status", "UP")));
    endpoints.put("/routes", req -> Future.succeededFuture(routes(runtime.snapshot())));
    new Dashboard(vertx).registerOn(this);
  }

  /** Adds a {@code GET} endpoint answering JSON; must be called before {@link #start}. */
  public void register(String path, Function<HttpServerRequest, Future<JsonObject>> handler) {
    register(HttpMethod.GET, path, handler);
  }

  /**
   * Adds an endpoint answering JSON for one method (e.g. {@code POST /cache/purge}); must be
   * called before {@link #start}. A failed future with a {@link io.edgeway.spi.GatewayException}
   * keeps its status; other failures answer 500.
   */
  public void register(HttpMethod method, String path, Function<HttpServerRequest, Future<JsonObject>> handler) {
    endpoints.put(requireNonNull(path, "path"), requireNonNull(handler, "handler"));
    methods.put(path, requireNonNull(method, "method"));
  }

  /**
   * Adds an endpoint that writes its own answer (Prometheus text, the dashboard's files); must be
   * called before {@link #start}. The handler runs on the admin server's event loop: it must not
   * block, and must end the response (move CPU-heavy work to a worker).
   */
  public void registerHandler(HttpMethod method, String path, Handler<HttpServerRequest> handler) {
    rawEndpoints.put(requireNonNull(path, "path"), requireNonNull(handler, "handler"));
    methods.put(path, requireNonNull(method, "method"));
  }

  public Future<Integer> start(String host, int port) {
    server = vertx.createHttpServer().requestHandler(this::handle);
    return server.listen(port, host).map(HttpServer::actualPort);
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest req) {
    if (token != null && !OPEN_PATHS.contains(req.path()) && !authorized(req)) {
      return;
    }
    if (req.path().equals("/ready")) {
      boolean ready = runtime.isReady();
      JsonObject body = new JsonObject().put("ready", ready);
      if (!ready) {
        body.put("waitingFor", new JsonArray(runtime.notReadyReasons()));
      }
      req.response().setStatusCode(ready ? 200 : 503).putHeader("Content-Type", JSON).end(JsonEncoder.encode(body));
      return;
    }
    Function<HttpServerRequest, Future<JsonObject>> endpoint = endpoints.get(req.path());
    Handler<HttpServerRequest> raw = endpoint == null ? rawEndpoints.get(req.path()) : null;
    if (endpoint == null && raw == null) {
      send(req, ProblemResponses.render(404, "not_found", "No such admin endpoint", null, null));
      return;
    }
    HttpMethod allowed = methods.getOrDefault(req.path(), HttpMethod.GET);
    if (req.method() != allowed) {
      GatewayResponse problem = ProblemResponses.render(405, "method_not_allowed",
          "This admin endpoint answers " + allowed.name(), null, null);
      problem.headers().set("Allow", allowed.name());
      send(req, problem);
      return;
    }
    if (raw != null) {
      try {
        raw.handle(req);
      } catch (RuntimeException e) {
        failed(req, e);
      }
      return;
    }
    Future<JsonObject> answer;
    try {
      answer = requireNonNull(endpoint.apply(req), "the endpoint's future");
    } catch (RuntimeException e) {
      failed(req, e);
      return;
    }
    answer.onComplete(ar -> {
      if (ar.failed()) {
        failed(req, ar.cause());
        return;
      }
      String body;
      try {
        body = JsonEncoder.encodePrettily(requireNonNull(ar.result(), "the endpoint's document"));
      } catch (RuntimeException e) {
        // A value the jar's codec cannot write (e.g. a record): a bug, but never a hang.
        failed(req, e);
        return;
      }
      req.response().putHeader("Content-Type", JSON).end(body);
    });
  }

  /** True when the request carries the token; otherwise answers 401 and returns false. */
  private boolean authorized(HttpServerRequest req) {
    AdminToken.Outcome outcome = token.check(req.getHeader("Authorization"));
    if (outcome == AdminToken.Outcome.ACCEPTED) {
      return true;
    }
    GatewayResponse problem;
    if (outcome == AdminToken.Outcome.MISSING) {
      problem = ProblemResponses.render(401, "missing_token", "The admin API requires a bearer token", null, null);
      problem.headers().set("WWW-Authenticate", REALM);
    } else {
      // Never log the presented value: a near-miss is often the real token with a typo.
      log.warn("admin request {} {} from {} with an invalid bearer token", req.method(), req.path(),
          req.remoteAddress());
      problem = ProblemResponses.render(401, "invalid_token", "Invalid admin token", null, null);
      problem.headers().set("WWW-Authenticate", REALM + ", error=\"invalid_token\"");
    }
    send(req, problem);
    return false;
  }

  /** Answers 500 problem+json for a failed endpoint (logged); for handlers registered with {@link #registerHandler}. */
  public static void failed(HttpServerRequest req, Throwable cause) {
    if (cause instanceof GatewayException e) {
      send(req, ProblemResponses.render(e, null, null));
      return;
    }
    log.error("admin endpoint {} {} failed", req.method(), req.path(), cause);
    send(req, ProblemResponses.render(500, "internal_error", "Admin endpoint failed", null, null));
  }

  private static void send(HttpServerRequest req, GatewayResponse problem) {
    if (req.response().ended()) {
      return;
    }
    req.response().setStatusCode(problem.status());
    req.response().headers().addAll(problem.headers());
    req.response().end(problem.body().buffer());
  }

  static JsonObject routes(RouteSnapshot snapshot) {
    JsonArray routes = new JsonArray();
    for (CompiledRoute route : snapshot.routes()) {
      RouteConfig c = route.config();
      MatchConfig m = c.match();
      JsonArray targets = new JsonArray();
      for (TargetConfig t : c.upstream().targets()) {
        // UpstreamUrl is a record: written as its URL text, never left to a codec.
        targets.add(new JsonObject().put("url", t.url().toString()).put("weight", t.weight()));
      }
      JsonArray filters = new JsonArray();
      c.filters().forEach(f -> filters.add(f.name()));
      routes.add(new JsonObject()
          .put("id", c.id())
          .put("match", new JsonObject()
              .put("path", m.path())
              .put("methods", new JsonArray(m.methods() == null ? java.util.List.of() : m.methods()))
              .put("host", m.host())
              .put("headers", m.headers() == null ? null : new JsonObject(new LinkedHashMap<>(m.headers()))))
          .put("upstream", new JsonObject()
              .put("targets", targets)
              .put("loadBalancing", c.upstream().loadBalancing().name().toLowerCase().replace('_', '-')))
          .put("filters", filters)
          .put("maxBodyBytes", route.maxBodyBytes())
          .put("websocket", route.websocket()));
    }
    return new JsonObject()
        .put("source", snapshot.source())
        .put("loadedAt", snapshot.loadedAt().toString())
        .put("routes", routes);
  }
}
