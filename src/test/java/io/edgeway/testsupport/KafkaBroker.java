package io.edgeway.testsupport;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one process) for integration
 * tests, run by {@code scripts/kafka.sh} from the broker jars in Maven Central.
 *
 * <p>Data lives in the given directory: {@link #kill()} followed by {@link #restart()} keeps both
 * the records and the bootstrap address, which is what crash and outage tests need.
 *
 * <pre>{@code
 * try (KafkaBroker kafka = KafkaBroker.start(tempDir.resolve("kafka"))) {
 *   producerProps.put("bootstrap.servers", kafka.bootstrapServers());
 *   ...
 *   kafka.kill();      // outage
 *   kafka.restart();   // same address, same data
 * }
 * }</pre>
 *
 * <p>Not thread-safe; a start takes a few seconds, so share one broker per test class where the
 * tests allow it.
 */
public final class KafkaBroker implements AutoCloseable {

  // Start includes a first-time download of the broker jars on a fresh machine; the script itself
  // bounds the broker's start-up (EDGEWAY_KAFKA_START_TIMEOUT, default 90 s).
  private static final ScriptedService.Timeouts TIMEOUTS =
      new ScriptedService.Timeouts(Duration.ofMinutes(5), Duration.ofSeconds(60), Duration.ofSeconds(20));

  private final ScriptedService service;

  private KafkaBroker(ScriptedService service) {
    this.service = service;
  }

  /** Starts a broker with its data in {@code dir} on a free port; returns once it serves metadata. */
  public static KafkaBroker start(Path dir) {
    return start(dir, 0);
  }

  /**
   * Starts a broker with its data in {@code dir} on {@code port} (0: a free port, or the port of
   * the previous start in the same {@code dir}).
   */
  public static KafkaBroker start(Path dir, int port) {
    return new KafkaBroker(ScriptedService.start("kafka.sh", dir, port, TIMEOUTS));
  }

  /** {@code 127.0.0.1:port}, for the {@code bootstrap.servers} client setting. */
  public String bootstrapServers() {
    return service.address();
  }

  public int port() {
    return service.port();
  }

  public Path dir() {
    return service.dir();
  }

  public boolean isRunning() {
    return service.isRunning();
  }

  /** Controlled shutdown (SIGTERM), SIGKILL if it takes longer than 30 s. */
  public void stop() {
    service.stop();
  }

  /** SIGKILL, as in a crash; returns once the port is released. */
  public void kill() {
    service.kill();
  }

  /**
   * SIGSTOP to the broker's process group: it neither reads nor answers, like a broker stuck in a
   * long GC pause, while its sockets stay open (clients see no error, only silence).
   */
  public void pause() {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause()}: the broker handles what was sent to it meanwhile. */
  public void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      String pid = java.nio.file.Files.readString(dir().resolve("pid")).strip();
      Process kill = new ProcessBuilder("kill", "-" + name, "--", "-" + pid).inheritIO().start();
      if (!kill.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + name + " -" + pid + " failed");
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("kill -" + name + ": " + dir(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("kill -" + name + ": interrupted", e);
    }
  }

  /** Starts again from the same directory on the same port; stops a running broker first. */
  public void restart() {
    service.restart();
  }

  @Override
  public void close() {
    service.close();
  }

  @Override
  public String toString() {
    return "KafkaBroker[" + bootstrapServers() + ", dir=" + dir() + "]";
  }
}
