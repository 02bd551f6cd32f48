package io.edgeway.events;

import java.time.Duration;
import java.util.function.BiConsumer;

/** Where the pipeline sends events (Kafka in production; a fake in unit tests). */
interface EventSender {

  /**
   * Sends asynchronously; {@code done} is called once with null (acknowledged) or the failure.
   * May throw (e.g. metadata not available within max.block) instead of calling {@code done}.
   */
  void send(Event event, BiConsumer<Event, Exception> done);

  /** True when {@code failure} can never succeed on retry (the record itself is unacceptable). */
  boolean isPermanent(Exception failure);

  /** Closes within {@code timeout}; records not acknowledged by then fail through their callbacks. */
  void close(Duration timeout);
}
