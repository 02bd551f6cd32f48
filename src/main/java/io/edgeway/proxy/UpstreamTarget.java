package io.edgeway.proxy;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One backend address of a route's upstream, shared by all event loops. Holds the counters the
 * load balancers read ({@link #inFlight()}) and the availability that active health checks and
 * passive outlier detection set: a target is available while it is neither ejected, nor
 * unhealthy, nor disabled. The three reasons are independent bits of one atomic word, so one
 * volatile read answers {@link #isAvailable()} on the request path.
 */
public final class UpstreamTarget {
  private final String url;
  private final String host;
  private final int port;
  private final boolean ssl;
  private final int weight;
  private final String hostHeader;
  private final AtomicInteger inFlight = new AtomicInteger();
  private static final int EJECTED = 1;
  private static final int UNHEALTHY = 2;
  private static final int DISABLED = 4;
  private final AtomicInteger down = new AtomicInteger();
  private final LongAdder connectFailures = new LongAdder();

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

  /** Connections to this target that could not be opened (refused, timed out, TLS), all loops. */
  public long connectFailures() {
    return connectFailures.sum();
  }

  void connectFailed() {
    connectFailures.increment();
  }

  /** False while the target is ejected, failing health checks or disabled; balancers skip it. */
  public boolean isAvailable() {
    return down.get() == 0;
  }

  /** Disables or re-enables the target by hand, independently of health and ejection. */
  public void setAvailable(boolean available) {
    mark(DISABLED, !available);
  }

  /** True while outlier detection keeps the target out. */
  public boolean isEjected() {
    return (down.get() & EJECTED) != 0;
  }

  /** False while active health checks consider the target down. */
  public boolean isHealthy() {
    return (down.get() & UNHEALTHY) == 0;
  }

  /** Sets or clears the ejection; true when this call changed it. */
  public boolean markEjected(boolean ejected) {
    return mark(EJECTED, ejected);
  }

  /** Sets the health-check verdict; true when this call changed it. */
  public boolean markHealthy(boolean healthy) {
    return mark(UNHEALTHY, !healthy);
  }

  private boolean mark(int bit, boolean set) {
    int prev;
    int next;
    do {
      prev = down.get();
      next = set ? prev | bit : prev & ~bit;
      if (prev == next) {
        return false;
      }
    } while (!down.compareAndSet(prev, next));
    return true;
  }

  @Override
  public String toString() {
    return url;
  }
}
