package io.edgeway.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.function.UnaryOperator;

/**
 * The gateway's logback configuration, in code rather than a {@code logback.xml}: logback's XML
 * configurator loads a SAX parser and its model processors, about 500 classes and a quarter of a
 * second of one core before the first log line. The operational log goes to stderr at
 * {@code EDGEWAY_LOG_LEVEL} (default INFO); the level of {@code edgeway.access} is the on/off
 * switch of the stdout access log ({@code EDGEWAY_ACCESS_LOG}); Netty and Kafka log warnings only.
 *
 * <p>An operator's own configuration still wins: with {@code -Dlogback.configurationFile}, or a
 * {@code logback.xml} (or {@code logback-test.xml}) on the class path, this steps aside and logback
 * reads that file as usual.
 */
public final class OperationalLog extends ContextAwareBase implements Configurator {
  static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n";
  /** The logger runtime/AccessLog writes to: its level is the stdout access log's switch. */
  static final String ACCESS_LOGGER = "edgeway.access";

  private final UnaryOperator<String> settings;

  /** Reads the levels as logback's {@code ${NAME}} does: a system property, else the environment. */
  public OperationalLog() {
    this(name -> {
      String value = System.getProperty(name);
      return value != null ? value : System.getenv(name);
    });
  }

  OperationalLog(UnaryOperator<String> settings) {
    this.settings = settings;
  }

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    ClassLoader loader = OperationalLog.class.getClassLoader();
    if (System.getProperty("logback.configurationFile") != null
        || loader.getResource("logback-test.xml") != null || loader.getResource("logback.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    apply(context);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  void apply(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(level("EDGEWAY_LOG_LEVEL"));
    root.addAppender(stderr);
    Logger access = context.getLogger(ACCESS_LOGGER);
    access.setLevel(level("EDGEWAY_ACCESS_LOG"));
    access.setAdditive(false);
    context.getLogger("io.netty").setLevel(Level.WARN);
    context.getLogger("org.apache.kafka").setLevel(Level.WARN);
  }

  /** The named level; unset or not a level name is INFO, as the XML's {@code ${NAME:-INFO}} was. */
  private Level level(String name) {
    String value = settings.apply(name);
    return value == null || value.isBlank() ? Level.INFO : Level.toLevel(value.trim(), Level.INFO);
  }
}
