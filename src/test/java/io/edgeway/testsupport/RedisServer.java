package io.edgeway.testsupport;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A real {@code redis-server} for integration tests, run by {@code scripts/redis.sh} (which
 * installs it with apt-get when missing). Nothing is persisted: after {@link #kill()} and
 * {@link #restart()} the server answers on the same port but starts empty, like a Redis that lost
 * its memory.
 *
 * <p>Not thread-safe.
 */
public final class RedisServer implements AutoCloseable {

  // Start may include a first-time apt-get install on a fresh machine.
  private static final ScriptedService.Timeouts TIMEOUTS =
      new ScriptedService.Timeouts(Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofSeconds(15));

  private final ScriptedService service;

  private RedisServer(ScriptedService service) {
    this.service = service;
  }

  /** Starts a server on a free port with {@code dir} as its working directory and log location. */
  public static RedisServer start(Path dir) {
    return start(dir, 0);
  }

  /** Starts a server on {@code port} (0: a free port, or the port of the previous start in {@code dir}). */
  public static RedisServer start(Path dir, int port) {
    return new RedisServer(ScriptedService.start("redis.sh", dir, port, TIMEOUTS));
  }

  /** Starts a replica of {@code master} on a free port (scripts/redis.sh's DIR/role file). */
  public static RedisServer startReplica(Path dir, RedisServer master) {
    writeRole(dir, "replica-of " + master.host() + ":" + master.port());
    return start(dir);
  }

  /**
   * Starts a Sentinel watching {@code master} under {@code name}: quorum 1, the master counts as
   * down after 1 s, so a failover to a replica takes a few seconds.
   */
  public static RedisServer startSentinel(Path dir, RedisServer master, String name) {
    writeRole(dir, "sentinel " + master.host() + ":" + master.port() + " " + name);
    return start(dir);
  }

  /**
   * Starts {@code size} Redis Cluster nodes under {@code dir} and joins them into one cluster of
   * masters (no replicas) with {@code redis-cli --cluster create}; returns once every node says
   * {@code cluster_state:ok}. Close each node when done.
   */
  public static java.util.List<RedisServer> startCluster(Path dir, int size) throws Exception {
    java.util.List<RedisServer> nodes = new java.util.ArrayList<>();
    try {
      java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("redis-cli", "--cluster", "create"));
      for (int i = 0; i < size; i++) {
        Path nodeDir = dir.resolve("node-" + i);
        writeRole(nodeDir, "cluster-node");
        RedisServer node = start(nodeDir);
        nodes.add(node);
        command.add(node.host() + ":" + node.port());
      }
      command.add("--cluster-yes");
      Process create = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(create.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (!create.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || create.exitValue() != 0) {
        throw new IllegalStateException("redis-cli --cluster create failed:\n" + output);
      }
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
      for (RedisServer node : nodes) {
        while (!clusterOk(node)) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("cluster not ok in time: " + node);
          }
          Thread.sleep(100);
        }
      }
      return nodes;
    } catch (Exception | Error e) {
      // Whatever started is stopped here: the caller gets no list to close.
      for (RedisServer node : nodes) {
        try {
          node.close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  private static boolean clusterOk(RedisServer node) throws Exception {
    Process info = new ProcessBuilder("redis-cli", "-h", node.host(), "-p", Integer.toString(node.port()), "cluster", "info")
        .redirectErrorStream(true).start();
    String output = new String(info.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    info.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    return output.contains("cluster_state:ok");
  }

  private static void writeRole(Path dir, String role) {
    try {
      java.nio.file.Files.createDirectories(dir);
      java.nio.file.Files.writeString(dir.resolve("role"), role + "\n");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public String host() {
    return "127.0.0.1";
  }

  public int port() {
    return service.port();
  }

  /** {@code redis://127.0.0.1:port}, the form Lettuce's {@code RedisURI.create} takes. */
  public String uri() {
    return "redis://" + service.address();
  }

  public Path dir() {
    return service.dir();
  }

  public boolean isRunning() {
    return service.isRunning();
  }

  /** SIGTERM, SIGKILL if it takes longer than 10 s. */
  public void stop() {
    service.stop();
  }

  /** SIGKILL, as in a crash; returns once the port is released. */
  public void kill() {
    service.kill();
  }

  /** Starts again on the same port (empty); stops a running server first. */
  public void restart() {
    service.restart();
  }

  @Override
  public void close() {
    service.close();
  }

  @Override
  public String toString() {
    return "RedisServer[" + uri() + ", dir=" + dir() + "]";
  }
}
