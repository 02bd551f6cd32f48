package io.edgeway.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails any test during which Vert.x reported a blocked event loop or worker thread. Registered
 * for every test through JUnit's extension auto-detection (see META-INF/services), so a blocking
 * call on an event loop anywhere in the suite fails the build.
 */
public final class BlockedThreadWatcher implements BeforeEachCallback, AfterEachCallback {
  // Vert.x 5 logs the warnings under this name (the class lives in ...internal.threadchecker).
  private static final String[] CHECKERS = {
    "io.vertx.core.impl.BlockedThreadChecker", "io.vertx.core.internal.threadchecker.BlockedThreadChecker"
  };
  private static final List<String> WARNINGS = new CopyOnWriteArrayList<>();

  static {
    for (String name : CHECKERS) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
          WARNINGS.add(event.getFormattedMessage());
        }
      };
      appender.setContext(logger.getLoggerContext());
      appender.start();
      logger.addAppender(appender);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    WARNINGS.clear();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!WARNINGS.isEmpty()) {
      String first = WARNINGS.get(0);
      WARNINGS.clear();
      throw new AssertionError("Vert.x reported a blocked thread during this test: " + first);
    }
  }
}
