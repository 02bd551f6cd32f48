package io.edgeway.cli;

import static java.util.Objects.requireNonNull;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the gateway does on POSIX signals, as the README says: SIGTERM drains and exits 0 (the JVM's
 * default is exit 143 once the shutdown hooks ran); SIGHUP, which would end the JVM, reloads the
 * configuration file instead. Uses {@code sun.misc.Signal}
 * (module jdk.unsupported); on a JVM without it the defaults stay (SIGTERM still drains through
 * the shutdown hook, but exits 143), and that is logged.
 */
final class Signals {
  static final String HUP_RECEIVED = "SIGHUP: reloading the configuration";
  private static final Logger log = LoggerFactory.getLogger(Signals.class);

  private Signals() {}

  /** Installs the handlers; false when this JVM offers no way to, and the defaults stay. */
  static boolean install(GracefulShutdown shutdown, Runnable reload) {
    requireNonNull(shutdown, "shutdown");
    requireNonNull(reload, "reload");
    try {
      SunSignals.install(
          // The handler runs on the JVM's signal thread; the blocking drain gets its own thread.
          () -> new Thread(() -> System.exit(shutdown.stop("SIGTERM") ? Main.OK : Main.RUNTIME_FAILURE),
              "edgeway-sigterm").start(),
          () -> {
            log.info(HUP_RECEIVED);
            reload.run();
          });
      return true;
    } catch (LinkageError | RuntimeException e) {
      log.warn("signal handlers unavailable ({}): SIGTERM exits 143 after draining, SIGHUP stops the gateway",
          e.toString());
      return false;
    }
  }

  /** The only class touching sun.misc, so a JVM without it fails here, caught above. */
  private static final class SunSignals {
    static void install(Runnable onTerm, Runnable onHup) {
      sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> onTerm.run());
      // Under nohup (or a parent that ignores SIGHUP) the JVM leaves the signal ignored and answers
      // SIG_IGN instead of installing the handler: say so, or an operator's SIGHUP silently does nothing.
      if (sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> onHup.run()) == sun.misc.SignalHandler.SIG_IGN) {
        log.warn("SIGHUP is ignored by this process (started under nohup?): reload with POST /config/reload "
            + "or the configuration file watcher instead");
      }
    }
  }
}
