package io.edgeway.runtime;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.encoder.EncoderBase;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.Duration;
import ch.qos.logback.core.util.FileSize;
import io.edgeway.config.AccessLogFileConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.slf4j.LoggerFactory;

/**
 * {@code access-log.output: file}: logback's rolling file appender (by size, and daily unless
 * {@code daily: false}), built in code from the section rather than from a logback file, so one YAML
 * file configures the gateway. Its events are not log events but whole batches of lines, already
 * UTF-8, that the {@link AccessLogWriter} gathered: one append, one roll check and one
 * {@code write(2)} per batch, while logback keeps doing what it does well (naming, rolling and
 * deleting old files). Opening (directories, the file) is blocking: call it off the event loop.
 */
final class AccessLogFile implements AccessLogOutput {
  private final RollingFileAppender<byte[]> file;
  private final String path;

  private AccessLogFile(RollingFileAppender<byte[]> file, String path) {
    this.file = file;
    this.path = path;
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
    RollingFileAppender<byte[]> file = new RollingFileAppender<>();
    file.setContext(context);
    file.setName("ACCESS_FILE");
    file.setFile(path.toString());
    file.setAppend(true);
    PassThroughEncoder encoder = new PassThroughEncoder();
    encoder.setContext(context);
    encoder.start();
    file.setEncoder(encoder);
    String name = path.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = path.getParent().resolve(dot > 0 ? name.substring(0, dot) : name).toString();
    String extension = dot > 0 ? name.substring(dot) : "";
    FileSize maxSize = new FileSize(config.maxSize().bytes());
    if (config.daily()) {
      SizeAndTimeBasedRollingPolicy<byte[]> policy = new SizeAndTimeBasedRollingPolicy<>();
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
      SizeBasedTriggeringPolicy<byte[]> trigger = new SizeBasedTriggeringPolicy<>();
      trigger.setContext(context);
      trigger.setMaxFileSize(maxSize);
      // An event is a batch, a few per second: check the size at every one (default: at most every 60 ms).
      trigger.setCheckIncrement(Duration.buildByMilliseconds(0));
      trigger.start();
      file.setRollingPolicy(policy);
      file.setTriggeringPolicy(trigger);
    }
    file.start();
    if (!file.isStarted()) {
      // Logback reports why to its status log; the operator gets the key to fix.
      throw new IllegalStateException("access-log.file.path: " + config.path() + " could not be opened for writing");
    }
    return new AccessLogFile(file, config.path());
  }

  /** Appends one batch of whole lines; rolls first when the file is due. */
  @Override
  public void write(byte[] bytes, int length) {
    // Logback writes an event's bytes whole: the batch buffer is reused, so it gets an exact copy.
    file.doAppend(length == bytes.length ? bytes : Arrays.copyOf(bytes, length));
  }

  @Override
  public void close() {
    file.stop();
  }

  @Override
  public String toString() {
    return path;
  }

  /** The event is the bytes to write. */
  private static final class PassThroughEncoder extends EncoderBase<byte[]> {
    @Override
    public byte[] headerBytes() {
      return null;
    }

    @Override
    public byte[] encode(byte[] batch) {
      return batch;
    }

    @Override
    public byte[] footerBytes() {
      return null;
    }
  }
}
