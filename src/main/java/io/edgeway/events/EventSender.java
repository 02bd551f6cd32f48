package io.edgeway.events;

import java.time.Duration;
import java.util.function.Consumer;

/** Where the pipeline sends events (Kafka in production; a fake in unit tests). */
interface EventSender {

  /**
   * Sends asynchronously; {@code done} is called once with null (acknowledged) or the failure.
   * May throw (e.g. metadata not available within max.block) instead of calling {@code done}.
   * Keeps no reference to {@code event} once it is encoded: thousands are in flight at a time, and
   * every one still referenced when a young collection runs is copied by it.
   */
  void send(Event event, Consumer<Exception> done);

  /** True when {@code failure} can never succeed on retry (the record itself is unacceptable). */
  boolean isPermanent(Exception failure);

  /** Closes within {@code timeout}; records not acknowledged by then fail through their callbacks. */
  void close(Duration timeout);
}
