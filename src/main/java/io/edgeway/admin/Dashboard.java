package io.edgeway.admin;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live dashboard at {@code GET /} on the admin port: three static files shipped in the jar
 * ({@code io/edgeway/admin/dashboard/}), no build step and nothing fetched from elsewhere, so it
 * works offline. The page polls {@code /metrics} and the JSON endpoints itself.
 *
 * <p>A file is read from the class path once, on a worker thread (a jar read is I/O), then served
 * from memory.
 */
final class Dashboard {
  private static final String ROOT = "io/edgeway/admin/dashboard/";

  /** Path on the admin port, file name, content type. */
  private record Asset(String path, String file, String contentType) {}

  private static final List<Asset> ASSETS = List.of(
      new Asset("/", "index.html", "text/html; charset=utf-8"),
      new Asset("/dashboard.js", "dashboard.js", "text/javascript; charset=utf-8"),
      new Asset("/dashboard.css", "dashboard.css", "text/css; charset=utf-8"));

  private final Vertx vertx;
  private final Map<String, Future<Buffer>> loaded = new ConcurrentHashMap<>();

  Dashboard(Vertx vertx) {
    this.vertx = requireNonNull(vertx, "vertx");
  }

  void registerOn(AdminServer admin) {
    for (Asset asset : ASSETS) {
      admin.registerHandler(HttpMethod.GET, asset.path(), req -> serve(req, asset));
    }
  }

  private void serve(HttpServerRequest req, Asset asset) {
    loaded.computeIfAbsent(asset.file(), file -> vertx.executeBlocking(() -> read(file), false))
        .onComplete(ar -> {
          if (ar.failed()) {
            loaded.remove(asset.file());
            AdminServer.failed(req, ar.cause());
            return;
          }
          req.response()
              .putHeader("Content-Type", asset.contentType())
              // The page is the jar's: a new version must not be masked by a cached one.
              .putHeader("Cache-Control", "no-cache")
              .putHeader("X-Content-Type-Options", "nosniff")
              .end(ar.result());
        });
  }

  private static Buffer read(String file) {
    try (InputStream in = Dashboard.class.getClassLoader().getResourceAsStream(ROOT + file)) {
      if (in == null) {
        throw new IllegalStateException("dashboard file missing from the jar: " + ROOT + file);
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
