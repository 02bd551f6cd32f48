package io.edgeway.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Records what one logger writes while open (at {@code level} or above), e.g. the access log,
 * which the test logback configuration keeps quiet; restores the logger's level on close.
 */
public final class LogCapture implements AutoCloseable {
  private final Logger logger;
  private final Level previousLevel;
  private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
  private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent event) {
      events.add(event);
    }
  };

  private LogCapture(String name, Level level) {
    logger = (Logger) LoggerFactory.getLogger(name);
    previousLevel = logger.getLevel();
    logger.setLevel(level);
    appender.setContext(logger.getLoggerContext());
    appender.start();
    logger.addAppender(appender);
  }

  /** Captures {@code name} at INFO and above. */
  public static LogCapture of(String name) {
    return new LogCapture(name, Level.INFO);
  }

  /** Captures the logger of {@code type} at INFO and above. */
  public static LogCapture of(Class<?> type) {
    return of(type.getName());
  }

  public List<ILoggingEvent> events() {
    return List.copyOf(events);
  }

  /** The formatted messages logged so far. */
  public List<String> messages() {
    return events.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  /** Waits up to {@code millis} for at least {@code count} events (async appenders, other threads). */
  public List<ILoggingEvent> await(int count, long millis) throws InterruptedException {
    long end = System.nanoTime() + millis * 1_000_000;
    while (events.size() < count && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    return events();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
    logger.setLevel(previousLevel);
  }
}
