package io.edgeway.testsupport;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A real RabbitMQ node (the Debian {@code rabbitmq-server} package) for integration tests, run by
 * {@code scripts/rabbitmq.sh} as a plain process in its own process group, never the system
 * service: its own AMQP, distribution and epmd ports, node name {@code edgeway-rabbitmq-node-PORT@localhost},
 * data and logs in the given directory.
 *
 * <p>{@link #kill()} followed by {@link #restart()} keeps the address and the data (durable
 * exchanges and queues, persistent messages), which is what crash and outage tests need.
 */
public final class RabbitMqBroker implements AutoCloseable {

  // An Erlang node on a loaded 2-core machine can take a minute to boot.
  private static final ScriptedService.Timeouts TIMEOUTS =
      new ScriptedService.Timeouts(Duration.ofMinutes(3), Duration.ofSeconds(60), Duration.ofSeconds(20));

  private final ScriptedService service;

  private RabbitMqBroker(ScriptedService service) {
    this.service = service;
  }

  /** Starts a node with its data in {@code dir} on a free port; returns once it accepts AMQP. */
  public static RabbitMqBroker start(Path dir) {
    return new RabbitMqBroker(ScriptedService.start("rabbitmq.sh", dir, 0, TIMEOUTS));
  }

  /**
   * {@code amqp://guest:guest@127.0.0.1:PORT}, the default vhost (guest may log in over loopback
   * only, which is all we use).
   */
  public String uri() {
    return "amqp://guest:guest@127.0.0.1:" + service.port();
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

  /** SIGKILL to the node's process group, as in a crash; returns once it is gone. */
  public void kill() {
    service.kill();
  }

  /** Starts again from the same directory on the same port; stops a running node first. */
  public void restart() {
    service.restart();
  }

  public void stop() {
    service.stop();
  }

  @Override
  public void close() {
    service.close();
  }

  @Override
  public String toString() {
    return "RabbitMqBroker[127.0.0.1:" + port() + ", dir=" + dir() + "]";
  }
}
