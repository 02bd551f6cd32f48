package io.edgeway.bench;

import io.edgeway.http.CanonicalPath;
import io.edgeway.http.PathCanonicalizer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Cost of {@link PathCanonicalizer#canonicalize}, which every request's path goes through: a
 * typical path that needs no change (the common case: the same String comes back), one with
 * percent-encoded unreserved and reserved characters (decoded once, or re-encoded upper-case),
 * and one with dot segments and empty segments to remove. Run with
 * {@code loadtest/jmh.sh CanonicalPathBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CanonicalPathBenchmark {

  /** Each kind of path with the canonical form it must produce. */
  public enum Kind {
    TYPICAL("/api/v1/users/42/orders", "/api/v1/users/42/orders"),
    PERCENT_ENCODED("/api/v1/search/%7Ejohn%2Ddoe/caf%c3%a9%20bar", "/api/v1/search/~john-doe/caf%C3%A9%20bar"),
    DOT_SEGMENTS("/api/v1/./users//42/../43/./orders/", "/api/v1/users/43/orders/");

    final String raw;
    final String canonical;

    Kind(String raw, String canonical) {
      this.raw = raw;
      this.canonical = canonical;
    }
  }

  @Param
  public Kind kind;

  private String raw;

  @Setup(Level.Trial)
  public void setUp() {
    raw = kind.raw;
    // A benchmark of a rejection, or of the wrong result, would measure the wrong path.
    CanonicalPath result = PathCanonicalizer.canonicalize(raw);
    if (!kind.canonical.equals(result.path())) {
      throw new IllegalStateException(kind + ": " + raw + " -> " + result + " (expected: " + kind.canonical + ")");
    }
  }

  @Benchmark
  public CanonicalPath canonicalize() {
    return PathCanonicalizer.canonicalize(raw);
  }

  /** Runs the benchmark; arguments are JMH command-line options (e.g. {@code -p kind=TYPICAL}). */
  public static void main(String[] args) throws CommandLineOptionException, RunnerException {
    Options options = new OptionsBuilder()
        .parent(new CommandLineOptions(args))
        .include(CanonicalPathBenchmark.class.getName() + ".*")
        .build();
    new Runner(options).run();
  }
}
