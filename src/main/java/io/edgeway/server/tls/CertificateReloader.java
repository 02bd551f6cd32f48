package io.edgeway.server.tls;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.ServerSSLOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one listener's certificate, key and CA files and installs them when they change
 * (a renewal by an ACME client), without dropping a connection: open connections keep the
 * session they negotiated, new handshakes get the new certificate. The files are compared byte
 * for byte on a worker thread every {@code reload-interval}; modification times are not trusted
 * (a renewal that renames files into place may keep them). A changed set that does not load (a
 * half-written file, a key that is not the certificate's) keeps the certificates in use and is
 * reported like a bad configuration: logged with the key path and file, published as a
 * {@code tls.reload-failed} state event, and shown by {@code GET /tls}; it is reported again
 * only when the error changes.
 */
public final class CertificateReloader {
  private static final Logger log = LoggerFactory.getLogger(CertificateReloader.class);

  /** Publishes a state event: type, subject, data. */
  @FunctionalInterface
  public interface Publisher {
    void publish(String type, String subject, Map<String, Object> data);
  }

  private final Vertx vertx;
  private final ListenerTls tls;
  private final Function<ServerSSLOptions, Future<?>> install;
  private final Publisher events;
  private long timer = -1;
  private volatile boolean checking;
  private String reported;

  /**
   * @param install applies new options to every server of the listener (one per event loop)
   */
  public CertificateReloader(Vertx vertx, ListenerTls tls, Function<ServerSSLOptions, Future<?>> install,
      Publisher events) {
    this.vertx = requireNonNull(vertx, "vertx");
    this.tls = requireNonNull(tls, "tls");
    this.install = requireNonNull(install, "install");
    this.events = requireNonNull(events, "events");
  }

  public void start() {
    timer = vertx.setPeriodic(tls.config().reloadInterval().toMillis(), id -> check());
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** One check now; the future completes once new certificates are installed, or nothing changed. */
  public Future<Boolean> check() {
    if (checking) {
      return Future.succeededFuture(false);
    }
    checking = true;
    return vertx.executeBlocking(tls::readChanges, false)
        .compose(this::apply, this::failed)
        .onComplete(ar -> checking = false);
  }

  private Future<Boolean> apply(Optional<ListenerTls.Material> changed) {
    if (changed.isEmpty()) {
      return Future.succeededFuture(false);
    }
    ListenerTls.Material material = changed.get();
    tls.install(material);
    return install.apply(tls.configure(new ServerSSLOptions())).map(x -> {
      reported = null;
      List<String> names = material.certificates().stream().flatMap(c -> c.dnsNames().stream()).toList();
      log.info("{}: certificates reloaded ({})", tls.keyPath(), String.join(", ", names));
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("names", names);
      events.publish("tls.reloaded", tls.keyPath(), data);
      return true;
    });
  }

  private Future<Boolean> failed(Throwable failure) {
    String message = failure instanceof IllegalArgumentException ? failure.getMessage() : failure.toString();
    tls.reloadFailed(message);
    if (!message.equals(reported)) {
      reported = message;
      log.error("{}; keeping the certificates in use", message);
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("error", message);
      events.publish("tls.reload-failed", tls.keyPath(), data);
    }
    return Future.succeededFuture(false);
  }
}
