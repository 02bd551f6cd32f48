package io.edgeway.runtime;

import static java.util.Objects.requireNonNull;

import io.edgeway.config.AccessLogConfig;
import io.edgeway.exchange.DefaultExchange;
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
 * resolved once, at load time, to an array; a request only walks it. Lines go to the
 * {@code edgeway.access} logger (stdout through the asynchronous appender of logback.xml) or to
 * an {@link AccessLogFile}, asynchronous too, so the event loop never waits on the console or the
 * disk. Lines of requests answered below 400 are kept with probability {@code sample-2xx};
 * errors and aborted requests always are. The fields are listed in the README ("Logs").
 */
final class AccessLog implements ExchangeObserver {
  static final String LOGGER = "edgeway.access";
  private static final Logger log = LoggerFactory.getLogger(LOGGER);

  private final AccessLogField[] fields;
  private final double sample2xx;
  private final BooleanSupplier on;
  private final Consumer<String> sink;
  private final LongSupplier clockMillis;
  private final DoubleSupplier random;

  /** Every field, every line, to the {@code edgeway.access} logger. */
  AccessLog(LongSupplier clockMillis) {
    this(AccessLogConfig.defaults(), log::isInfoEnabled, AccessLog::toLogger, clockMillis,
        () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * @param on whether lines are wanted now (the stdout logger's level), asked before building one
   * @param sink receives each line (called on the event loop: must hand it off, never write)
   * @param random uniform in [0, 1), for sampling
   */
  AccessLog(AccessLogConfig config, BooleanSupplier on, Consumer<String> sink, LongSupplier clockMillis,
      DoubleSupplier random) {
    requireNonNull(config, "config");
    this.on = requireNonNull(on, "on");
    this.fields = AccessLogField.selected(config.fields());
    this.sample2xx = config.sample2xx();
    this.sink = requireNonNull(sink, "sink");
    this.clockMillis = requireNonNull(clockMillis, "clockMillis");
    this.random = requireNonNull(random, "random");
  }

  /** The stdout access log of {@code config} (file output: {@link AccessLogFile#accessLog}). */
  static AccessLog toStdout(AccessLogConfig config) {
    // EDGEWAY_ACCESS_LOG=OFF (logback.xml) sets this logger's level: then no line is built.
    return new AccessLog(config, log::isInfoEnabled, AccessLog::toLogger, System::currentTimeMillis,
        () -> ThreadLocalRandom.current().nextDouble());
  }

  private static void toLogger(String line) {
    log.info(line);
  }

  @Override
  public void completed(DefaultExchange ex, ExchangeOutcome outcome) {
    if (!on.getAsBoolean() || !sampled(outcome)) {
      return;
    }
    long now = clockMillis.getAsLong();
    StringBuilder b = new StringBuilder(384).append('{');
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        b.append(',');
      }
      fields[i].append(b, ex, outcome, now);
    }
    sink.accept(b.append('}').toString());
  }

  private boolean sampled(ExchangeOutcome outcome) {
    if (sample2xx >= 1.0 || outcome.status() >= 400 || outcome.clientAborted()) {
      return true;
    }
    return sample2xx > 0.0 && random.getAsDouble() < sample2xx;
  }
}
