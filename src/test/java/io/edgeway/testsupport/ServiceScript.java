package io.edgeway.testsupport;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One of the service scripts under {@code scripts/} ({@code kafka.sh}, {@code redis.sh}), run as a
 * child process with a bounded wait. The scripts own the process handling (detaching, pid files,
 * readiness, SIGTERM/SIGKILL); the Java side only calls them, so a developer can run exactly what
 * a test runs from a shell.
 */
final class ServiceScript {

  /** Overrides where {@code scripts/} is found (default: searched upward from the working directory). */
  static final String SCRIPTS_DIR_PROPERTY = "edgeway.scripts.dir";

  private final Path script;

  private ServiceScript(Path script) {
    this.script = script;
  }

  static ServiceScript named(String fileName) {
    requireNonNull(fileName, "fileName");
    Path script = scriptsDir().resolve(fileName);
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException("script: " + script + " (expected: an existing file)");
    }
    return new ServiceScript(script);
  }

  /** Result of one run: the exit code and everything the script printed (stdout and stderr). */
  record Result(int exitCode, String output) {
    Result {
      requireNonNull(output, "output");
    }

    /** The last non-blank line, which is where the scripts print an address. */
    String lastLine() {
      String[] lines = output.strip().split("\n");
      return lines[lines.length - 1].strip();
    }
  }

  /** Runs the script and fails unless it exits 0 within {@code timeout}. */
  Result run(Duration timeout, String... arguments) {
    Result result = runAllowingFailure(timeout, arguments);
    if (result.exitCode() != 0) {
      throw new IllegalStateException(describe(arguments) + ": exit code " + result.exitCode()
          + " (expected: 0); output:\n" + result.output());
    }
    return result;
  }

  /** Runs the script; only a time-out is an error, any exit code is returned. */
  Result runAllowingFailure(Duration timeout, String... arguments) {
    requireNonNull(timeout, "timeout");
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(List.of(arguments));
    Path outputFile = null;
    try {
      // A file, not a pipe: nothing has to drain it while we wait, and a service that inherited
      // a descriptor by mistake could not keep us blocked on end-of-stream.
      outputFile = Files.createTempFile("edgeway-" + script.getFileName(), ".out");
      Process process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(outputFile.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException(describe(arguments) + ": still running after " + timeout
            + " (expected: to finish); output:\n" + Files.readString(outputFile, StandardCharsets.UTF_8));
      }
      return new Result(process.exitValue(), Files.readString(outputFile, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(describe(arguments) + ": could not run", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(describe(arguments) + ": interrupted", e);
    } finally {
      if (outputFile != null) {
        try {
          Files.deleteIfExists(outputFile);
        } catch (IOException ignored) {
          // A leftover temp file is harmless; the result (or the error) matters more.
        }
      }
    }
  }

  private String describe(String... arguments) {
    return script.getFileName() + " " + String.join(" ", arguments);
  }

  private static Path scriptsDir() {
    String configured = System.getProperty(SCRIPTS_DIR_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("scripts/kafka.sh"))) {
        return dir.resolve("scripts");
      }
    }
    throw new IllegalStateException("scripts dir: not found above " + Path.of("").toAbsolutePath()
        + " (expected: a directory with scripts/kafka.sh, or -D" + SCRIPTS_DIR_PROPERTY + "=DIR)");
  }
}
