package io.edgeway.testing;

import io.edgeway.runtime.GatewayModule;
import io.edgeway.runtime.StateEvents;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A module that installs itself as the gateway's {@link StateEvents} sink and records what
 * features publish, so tests can assert state events without a broker. Pass it first to
 * {@link TestGateway#start(io.vertx.core.Vertx, String, List)}: modules look the sink up when they
 * start.
 */
public final class RecordingStateEvents implements GatewayModule, StateEvents {
  /** One published state change. */
  public record Recorded(String type, String subject, Map<String, Object> data) {}

  private final List<Recorded> recorded = new CopyOnWriteArrayList<>();

  @Override
  public String name() {
    return "recording-state-events";
  }

  @Override
  public Future<Void> start(Context context) {
    context.services().register(StateEvents.class, this);
    return Future.succeededFuture();
  }

  @Override
  public void publish(String type, String subject, Map<String, Object> data) {
    recorded.add(new Recorded(type, subject, Map.copyOf(data)));
  }

  public List<Recorded> recorded() {
    return recorded;
  }

  /** Waits (bounded) until an event of {@code type} was published, and returns it. */
  public Recorded await(String type, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      for (Recorded r : recorded) {
        if (r.type().equals(type)) {
          return r;
        }
      }
      Thread.sleep(20); // polling a background transition with a bounded deadline
    }
    throw new AssertionError("no state event " + type + " within " + seconds + " s; got " + recorded);
  }
}
