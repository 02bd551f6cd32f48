package io.edgeway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The logback configuration in code: what the removed logback.xml configured, and when it steps aside. */
class OperationalLogTest {

  private static LoggerContext configured(Map<String, String> settings) {
    LoggerContext context = new LoggerContext();
    new OperationalLog(settings::get).apply(context);
    return context;
  }

  @Test
  void operationalLogGoesToStderrAtInfoWithTheGatewaysPattern() {
    LoggerContext context = configured(Map.of());
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.INFO);
    ConsoleAppender<ILoggingEvent> stderr = (ConsoleAppender<ILoggingEvent>) root.getAppender("STDERR");
    assertThat(stderr.isStarted()).isTrue();
    assertThat(stderr.getTarget()).isEqualTo("System.err");
    assertThat(((PatternLayoutEncoder) stderr.getEncoder()).getPattern()).isEqualTo(OperationalLog.PATTERN);
    assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("org.apache.kafka").getLevel()).isEqualTo(Level.WARN);
  }

  @Test
  void theAccessLoggerIsTheStdoutSwitchAndNotAdditive() {
    Logger on = configured(Map.of()).getLogger(OperationalLog.ACCESS_LOGGER);
    assertThat(on.isInfoEnabled()).isTrue();
    assertThat(on.isAdditive()).isFalse();
    assertThat(configured(Map.of("EDGEWAY_ACCESS_LOG", "OFF")).getLogger(OperationalLog.ACCESS_LOGGER).isInfoEnabled())
        .isFalse();
  }

  @Test
  void levelsComeFromTheSettingsAndAnUnknownNameIsInfo() {
    assertThat(configured(Map.of("EDGEWAY_LOG_LEVEL", "debug")).getLogger(Logger.ROOT_LOGGER_NAME).getLevel())
        .isEqualTo(Level.DEBUG);
    assertThat(configured(Map.of("EDGEWAY_LOG_LEVEL", " WARN ")).getLogger(Logger.ROOT_LOGGER_NAME).getLevel())
        .isEqualTo(Level.WARN);
    assertThat(configured(Map.of("EDGEWAY_LOG_LEVEL", "loud")).getLogger(Logger.ROOT_LOGGER_NAME).getLevel())
        .isEqualTo(Level.INFO);
  }

  @Test
  void aLogbackFileOnTheClassPathWins() {
    // The test class path has logback-test.xml: logback goes on to read it.
    LoggerContext context = new LoggerContext();
    assertThat(new OperationalLog(name -> null).configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).isNull();
  }
}
