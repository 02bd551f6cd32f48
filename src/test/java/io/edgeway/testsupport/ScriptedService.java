package io.edgeway.testsupport;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A service process started and stopped through one of the {@code scripts/*.sh} scripts, bound to
 * a fixed directory and, after its first start, to a fixed port so clients keep their address
 * across {@link #kill()} and {@link #restart()}. A JVM shutdown hook kills the process if a test
 * forgets to close it, so no broker outlives the test run.
 */
final class ScriptedService {

  /** How long each script command may take; start includes a first-time download or install. */
  record Timeouts(Duration start, Duration stop, Duration kill) {
    Timeouts {
      requireNonNull(start, "start");
      requireNonNull(stop, "stop");
      requireNonNull(kill, "kill");
    }
  }

  private static final String LOOPBACK_PREFIX = "127.0.0.1:";
  private static final int STATUS_STOPPED = 3;

  private final ServiceScript script;
  private final Path dir;
  private final int port;
  private final Timeouts timeouts;
  private final Thread killOnExit;

  private ScriptedService(ServiceScript script, Path dir, int port, Timeouts timeouts) {
    this.script = script;
    this.dir = dir;
    this.port = port;
    this.timeouts = timeouts;
    this.killOnExit = new Thread(this::killQuietly, "kill " + dir);
  }

  /**
   * Starts the service from {@code dir} on {@code port}, or on a free port when {@code port} is
   * 0, and returns once it answers.
   */
  static ScriptedService start(String scriptName, Path dir, int port, Timeouts timeouts) {
    requireNonNull(scriptName, "scriptName");
    requireNonNull(dir, "dir");
    requireNonNull(timeouts, "timeouts");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 0 for a free port, or 1-65535)");
    }
    ServiceScript script = ServiceScript.named(scriptName);
    Path absoluteDir = dir.toAbsolutePath().normalize();
    String address = port == 0
        ? startScript(script, timeouts, "--dir", absoluteDir.toString())
        : startScript(script, timeouts, "--dir", absoluteDir.toString(), "--port", Integer.toString(port));
    ScriptedService service = new ScriptedService(script, absoluteDir, parsePort(address), timeouts);
    Runtime.getRuntime().addShutdownHook(service.killOnExit);
    return service;
  }

  Path dir() {
    return dir;
  }

  int port() {
    return port;
  }

  /** {@code 127.0.0.1:port}. */
  String address() {
    return LOOPBACK_PREFIX + port;
  }

  boolean isRunning() {
    ServiceScript.Result result = script.runAllowingFailure(timeouts.kill(), "status", "--dir", dir.toString());
    if (result.exitCode() == 0) {
      return true;
    }
    if (result.exitCode() == STATUS_STOPPED) {
      return false;
    }
    throw new IllegalStateException("status --dir " + dir + ": exit code " + result.exitCode()
        + " (expected: 0 running or 3 stopped); output:\n" + result.output());
  }

  void stop() {
    script.run(timeouts.stop(), "stop", "--dir", dir.toString());
  }

  void kill() {
    script.run(timeouts.kill(), "kill", "--dir", dir.toString());
  }

  /** Starts again from the same directory on the same port; stops a running process first. */
  void restart() {
    stop();
    String address = startScript(script, timeouts, "--dir", dir.toString(), "--port", Integer.toString(port));
    if (parsePort(address) != port) {
      throw new IllegalStateException("restart: address " + address + " (expected: " + address() + ")");
    }
  }

  /** Stops the process and drops the shutdown hook. */
  void close() {
    try {
      stop();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(killOnExit);
      } catch (IllegalStateException alreadyShuttingDown) {
        // The hook runs (or ran) anyway; nothing left to undo.
      }
    }
  }

  private void killQuietly() {
    script.runAllowingFailure(timeouts.kill(), "kill", "--dir", dir.toString());
  }

  private static String startScript(ServiceScript script, Timeouts timeouts, String... dirAndPort) {
    String[] arguments = new String[dirAndPort.length + 1];
    arguments[0] = "start";
    System.arraycopy(dirAndPort, 0, arguments, 1, dirAndPort.length);
    return script.run(timeouts.start(), arguments).lastLine();
  }

  private static int parsePort(String address) {
    if (address.startsWith(LOOPBACK_PREFIX)) {
      try {
        return Integer.parseInt(address.substring(LOOPBACK_PREFIX.length()));
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw new IllegalStateException("address: " + address + " (expected: 127.0.0.1:PORT as the script's last line)");
  }
}
