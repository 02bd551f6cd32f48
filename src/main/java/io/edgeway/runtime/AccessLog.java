package io.edgeway.runtime;

import static java.util.Objects.requireNonNull;

import io.edgeway.config.AccessLogConfig;
import io.edgeway.exchange.DefaultExchange;
import io.edgeway.exchange.JsonBytes;
import io.edgeway.spi.ExchangeOutcome;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per request, configured by the {@code access-log} section: the fields chosen are
 * resolved once, at load time, to an array; a request only walks it, writing UTF-8 straight into
 * its event loop's reused buffer, and hands an exact copy of the line to an
 * {@link AccessLogWriter}, whose thread writes batches of lines to stdout or to an
 * {@link AccessLogFile}: the event loop never waits on the console or the disk. Lines of requests
 * answered below 400 are kept with probability {@code sample-2xx}; errors and aborted requests
 * always are. The fields are listed in the README ("Logs").
 */
final class AccessLog implements ExchangeObserver {
  /** The stdout access log is on while this logger is at INFO ({@code EDGEWAY_ACCESS_LOG}, see cli/OperationalLog). */
  static final String LOGGER = "edgeway.access";
  private static final Logger log = LoggerFactory.getLogger(LOGGER);
  // Each event loop builds its lines in its own buffer; only the exact-size copy is allocated.
  private static final ThreadLocal<JsonBytes> BUFFER = ThreadLocal.withInitial(() -> new JsonBytes(512));

  private final AccessLogField[] fields;
  private final double sample2xx;
  private final BooleanSupplier on;
  private final Consumer<byte[]> sink;
  private final LongSupplier clockMillis;
  private final DoubleSupplier random;

  /**
   * @param on whether lines are wanted now (the stdout logger's level), asked before building one
   * @param sink receives each line, UTF-8 and ending in {@code \n} (called on the event loop: must
   *     hand it off, never write)
   * @param random uniform in [0, 1), for sampling
   */
  AccessLog(AccessLogConfig config, BooleanSupplier on, Consumer<byte[]> sink, LongSupplier clockMillis,
      DoubleSupplier random) {
    requireNonNull(config, "config");
    this.on = requireNonNull(on, "on");
    this.fields = AccessLogField.selected(config.fields());
    this.sample2xx = config.sample2xx();
    this.sink = requireNonNull(sink, "sink");
    this.clockMillis = requireNonNull(clockMillis, "clockMillis");
    this.random = requireNonNull(random, "random");
  }

  /**
   * The stdout access log of {@code config}, through {@code writer}: on while the
   * {@code edgeway.access} logger is at INFO ({@code EDGEWAY_ACCESS_LOG=OFF} turns it off, and then
   * no line is built).
   */
  static AccessLog toStdout(AccessLogConfig config, AccessLogWriter writer) {
    return through(config, log::isInfoEnabled, writer);
  }

  /** The file access log of {@code config}, through {@code writer} (always on). */
  static AccessLog toFile(AccessLogConfig config, AccessLogWriter writer) {
    return through(config, () -> true, writer);
  }

  private static AccessLog through(AccessLogConfig config, BooleanSupplier on, AccessLogWriter writer) {
    return new AccessLog(config, on, writer, System::currentTimeMillis, () -> ThreadLocalRandom.current().nextDouble());
  }

  @Override
  public void completed(DefaultExchange ex, ExchangeOutcome outcome) {
    if (!on.getAsBoolean() || !sampled(outcome)) {
      return;
    }
    long now = clockMillis.getAsLong();
    JsonBytes b = BUFFER.get().reset().raw((byte) '{');
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        b.raw((byte) ',');
      }
      fields[i].append(b, ex, outcome, now);
    }
    sink.accept(b.raw((byte) '}').raw((byte) '\n').toByteArray());
  }

  private boolean sampled(ExchangeOutcome outcome) {
    if (sample2xx >= 1.0 || outcome.status() >= 400 || outcome.clientAborted()) {
      return true;
    }
    return sample2xx > 0.0 && random.getAsDouble() < sample2xx;
  }
}
