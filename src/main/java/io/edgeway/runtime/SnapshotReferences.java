package io.edgeway.runtime;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who still uses one {@link RouteSnapshot}: one reference for being installed (dropped when it is
 * retired or closed) and one per request in flight on a route running plugin code. When the count
 * reaches zero the snapshot is drained for good and its release actions run (the plugin jars it
 * holds are released, and their class loaders close once no snapshot holds them).
 *
 * <p>Only requests on routes with plugin filters count, so a route of built-ins pays nothing.
 */
public final class SnapshotReferences {
  private static final Logger log = LoggerFactory.getLogger(SnapshotReferences.class);

  private final AtomicInteger count = new AtomicInteger(1);
  private final List<Runnable> onDrained = new CopyOnWriteArrayList<>();

  /**
   * Takes a reference for a request, unless the snapshot already drained (it was retired and its
   * last request ended between the caller reading it and this call): then the caller must read the
   * running snapshot again.
   */
  public boolean tryAcquire() {
    for (;;) {
      int c = count.get();
      if (c == 0) {
        return false;
      }
      if (count.compareAndSet(c, c + 1)) {
        return true;
      }
    }
  }

  /** Drops a reference; the last one runs the release actions (on the calling thread). */
  public void release() {
    int left = count.decrementAndGet();
    if (left == 0) {
      for (Runnable action : onDrained) {
        try {
          action.run();
        } catch (RuntimeException e) {
          log.warn("releasing a drained route snapshot failed", e);
        }
      }
    } else if (left < 0) {
      log.warn("route snapshot released more often than acquired", new IllegalStateException("count " + left));
    }
  }

  /** Runs {@code action} once the snapshot drained (before it is installed). */
  void whenDrained(Runnable action) {
    onDrained.add(action);
  }

  /** References held now: 1 while installed, plus requests in flight on plugin routes. */
  public int count() {
    return count.get();
  }
}
