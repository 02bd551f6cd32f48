package io.edgeway.smoke;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The packaged jar ({@code target/edgeway.jar}, built by the package phase) run the way a user
 * runs it: {@code java -jar}, in its own JVM and working directory, output captured to files
 * (a pipe nobody reads could fill and block the gateway).
 */
final class ShippedJar implements AutoCloseable {
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1) // the default tries an h2c upgrade, which the gateway refuses (400)
      .connectTimeout(REQUEST_TIMEOUT).build();

  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private ShippedJar(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** The jar under test: {@code -Dedgeway.jar=...} from the build, else target/edgeway.jar. */
  static Path jar() {
    Path jar = Path.of(System.getProperty("edgeway.jar", "target/edgeway.jar")).toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: the smoke suite runs after `mvn package`");
    }
    return jar;
  }

  /** The JVM running these tests, so the jar runs on the Java the build uses. */
  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** A port free right now (closed before returning; the gateway binds it moments later). */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  /** Starts {@code java -jar edgeway.jar args...} in {@code dir} with {@code env} added. */
  static ShippedJar start(Path dir, Map<String, String> env, String... args) throws IOException {
    return start(dir, env, List.of(), args);
  }

  /** Starts {@code java JVM-OPTIONS -jar edgeway.jar args...} in {@code dir} with {@code env} added. */
  static ShippedJar start(Path dir, Map<String, String> env, List<String> jvmOptions, String... args)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(java()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().putAll(env);
    Path out = dir.resolve("stdout.log");
    Path err = dir.resolve("stderr.log");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    return new ShippedJar(builder.start(), out, err);
  }

  /** The outcome of a command that runs to its end. */
  record Finished(int exitCode, String stdout, String stderr) {}

  /** Runs {@code java -jar edgeway.jar args...} in {@code dir} to its end (bounded). */
  static Finished run(Path dir, String... args) throws Exception {
    return run(dir, Map.of(), args);
  }

  /** Runs {@code java -jar edgeway.jar args...} in {@code dir} with {@code env} added, to its end (bounded). */
  static Finished run(Path dir, Map<String, String> env, String... args) throws Exception {
    try (ShippedJar jar = start(dir, env, args)) {
      if (!jar.process.waitFor(30, TimeUnit.SECONDS)) {
        throw new AssertionError("java -jar edgeway.jar " + String.join(" ", args) + " did not finish in 30 s");
      }
      return new Finished(jar.process.exitValue(), jar.stdout(), jar.stderr());
    }
  }

  long pid() {
    return process.pid();
  }

  Process process() {
    return process;
  }

  String stdout() throws IOException {
    return Files.readString(stdout, StandardCharsets.UTF_8);
  }

  String stderr() throws IOException {
    return Files.readString(stderr, StandardCharsets.UTF_8);
  }

  /** Both logs, for assertion messages. */
  String logs() {
    try {
      return "--- stderr ---\n" + stderr() + "\n--- stdout ---\n" + stdout();
    } catch (IOException e) {
      return "(logs unreadable: " + e + ")";
    }
  }

  /** Waits until {@code stderr} holds a line matching {@code wanted} (bounded); false if not. */
  boolean awaitStderr(Predicate<String> wanted, Duration limit) throws Exception {
    long end = System.nanoTime() + limit.toNanos();
    do {
      if (stderr().lines().anyMatch(wanted)) {
        return true;
      }
      Thread.sleep(50);
    } while (System.nanoTime() < end);
    return false;
  }

  /** Sends {@code kill -SIGNAL pid}. */
  void signal(String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
    if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new AssertionError("kill -" + name + " " + pid() + " failed");
    }
  }

  /** One request with the suite's 5 s timeout: a hang fails the test instead of the build. */
  static HttpResponse<String> send(String method, String url, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT)
        .method(method, HttpRequest.BodyPublishers.noBody());
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  static HttpResponse<String> get(String url) throws Exception {
    return send("GET", url, Map.of());
  }

  /** Polls {@code url} until it answers 200 (bounded); fails early if the process died. */
  void awaitReady(String url, Duration limit) throws Exception {
    long end = System.nanoTime() + limit.toNanos();
    String last = "no answer";
    while (System.nanoTime() < end) {
      if (!process.isAlive()) {
        throw new AssertionError("the gateway exited with " + process.exitValue() + " before it was ready\n" + logs());
      }
      try {
        HttpResponse<String> response = get(url);
        if (response.statusCode() == 200) {
          return;
        }
        last = response.statusCode() + " " + response.body();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(100);
    }
    throw new AssertionError(url + " not ready within " + limit + " (last: " + last + ")\n" + logs());
  }

  /** Always called (try-with-resources): a gateway left running would hold its ports. */
  @Override
  public void close() throws InterruptedException {
    requireNonNull(process, "process");
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
