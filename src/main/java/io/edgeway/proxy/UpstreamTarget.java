package io.edgeway.proxy;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One backend address of a route's upstream, shared by all event loops. Holds the counters the
 * load balancers read ({@link #inFlight()}) and the availability that health checks and outlier
 * detection will set.
 */
public final class UpstreamTarget {
  private final String url;
  private final String host;
  private final int port;
  private final boolean ssl;
  private final int weight;
  private final String hostHeader;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean available = true;

  public UpstreamTarget(String url, String host, int port, boolean ssl, int weight) {
    this.url = requireNonNull(url, "url");
    this.host = requireNonNull(host, "host");
    this.port = port;
    this.ssl = ssl;
    this.weight = weight;
    boolean defaultPort = (ssl && port == 443) || (!ssl && port == 80);
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    this.hostHeader = defaultPort ? h : h + ":" + port;
  }

  public String url() {
    return url;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public boolean ssl() {
    return ssl;
  }

  public int weight() {
    return weight;
  }

  /** The Host header value that names this target ({@code host[:port]}). */
  public String hostHeader() {
    return hostHeader;
  }

  /** Requests currently in flight to this target, across all event loops. */
  public int inFlight() {
    return inFlight.get();
  }

  void requestStarted() {
    inFlight.incrementAndGet();
  }

  void requestEnded() {
    inFlight.decrementAndGet();
  }

  /** False while the target is ejected or failing health checks; balancers skip it. */
  public boolean isAvailable() {
    return available;
  }

  public void setAvailable(boolean available) {
    this.available = available;
  }

  @Override
  public String toString() {
    return url;
  }
}
