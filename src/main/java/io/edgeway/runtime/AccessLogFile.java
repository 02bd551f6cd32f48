package io.edgeway.runtime;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import io.edgeway.config.AccessLogConfig;
import io.edgeway.config.AccessLogFileConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.LoggerFactory;

/**
 * {@code access-log.output: file}: a logback rolling file appender (by size, and daily unless
 * {@code daily: false}) behind an asynchronous appender that never blocks, built in code from the
 * section rather than from logback.xml, so one YAML file configures the gateway. It belongs to
 * one gateway and is not attached to any logger: lines are handed to it directly, and
 * {@link #close()} drains and closes it. Opening (directories, the file) is blocking: call it off
 * the event loop.
 */
final class AccessLogFile implements AutoCloseable {
  private static final String FQCN = AccessLogFile.class.getName();

  private final ch.qos.logback.classic.Logger logger;
  private final RollingFileAppender<ILoggingEvent> file;
  private final AsyncAppender async;

  private AccessLogFile(ch.qos.logback.classic.Logger logger, RollingFileAppender<ILoggingEvent> file,
      AsyncAppender async) {
    this.logger = logger;
    this.file = file;
    this.async = async;
  }

  /**
   * Opens the file (creating its directory), or fails with an {@link IllegalStateException} naming
   * {@code access-log.file.path}.
   */
  static AccessLogFile open(AccessLogFileConfig config) {
    requireNonNull(config, "config");
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      throw new IllegalStateException("access-log.output: file (expected: logback as the SLF4J binding)");
    }
    Path path = Path.of(config.path()).toAbsolutePath();
    try {
      Files.createDirectories(path.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("access-log.file.path: " + config.path() + ": cannot create its directory", e);
    }
    RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
    file.setContext(context);
    file.setName("ACCESS_FILE");
    file.setFile(path.toString());
    file.setAppend(true);
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%msg%n");
    encoder.start();
    file.setEncoder(encoder);
    String name = path.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = path.getParent().resolve(dot > 0 ? name.substring(0, dot) : name).toString();
    String extension = dot > 0 ? name.substring(dot) : "";
    FileSize maxSize = new FileSize(config.maxSize().bytes());
    if (config.daily()) {
      SizeAndTimeBasedRollingPolicy<ILoggingEvent> policy = new SizeAndTimeBasedRollingPolicy<>();
      policy.setContext(context);
      policy.setParent(file);
      policy.setFileNamePattern(stem + ".%d{yyyy-MM-dd}.%i" + extension);
      policy.setMaxFileSize(maxSize);
      policy.setMaxHistory(config.maxHistory());
      policy.start();
      file.setRollingPolicy(policy);
    } else {
      FixedWindowRollingPolicy policy = new FixedWindowRollingPolicy();
      policy.setContext(context);
      policy.setParent(file);
      policy.setFileNamePattern(stem + ".%i" + extension);
      policy.setMinIndex(1);
      policy.setMaxIndex(config.maxHistory());
      policy.start();
      SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
      trigger.setContext(context);
      trigger.setMaxFileSize(maxSize);
      trigger.start();
      file.setRollingPolicy(policy);
      file.setTriggeringPolicy(trigger);
    }
    file.start();
    if (!file.isStarted()) {
      // Logback reports why to its status log; the operator gets the key to fix.
      throw new IllegalStateException("access-log.file.path: " + config.path() + " could not be opened for writing");
    }
    AsyncAppender async = new AsyncAppender();
    async.setContext(context);
    async.setName("ACCESS_FILE_ASYNC");
    async.setQueueSize(8192);
    async.setDiscardingThreshold(0);
    async.setNeverBlock(true);
    async.addAppender(file);
    async.start();
    return new AccessLogFile(context.getLogger(AccessLog.LOGGER), file, async);
  }

  /** The access log of {@code config} writing to this file. */
  AccessLog accessLog(AccessLogConfig config) {
    return new AccessLog(config, () -> true, this::append, System::currentTimeMillis,
        () -> ThreadLocalRandom.current().nextDouble());
  }

  /** Hands a line to the asynchronous appender (never blocks: a full queue drops the line). */
  void append(String line) {
    async.doAppend(new LoggingEvent(FQCN, logger, Level.INFO, line, null, null));
  }

  /** Drains what is queued (bounded by logback's flush time) and closes the file; blocking. */
  @Override
  public void close() {
    async.stop();
    file.stop();
  }
}
