package io.edgeway.bench;

import io.edgeway.http.EdgeLimits;
import io.edgeway.http.EdgeRejection;
import io.edgeway.http.RequestFramingCheck;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
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
 * Cost of {@link RequestFramingCheck#check} on the accepting path, which every request takes:
 * a typical 8-header GET and a POST with a Content-Length (and a bearer token, which the check
 * counts). The headers live in the MultiMap Vert.x's HTTP/1.x server fills
 * ({@link HttpHeaders#headers()}). Run with {@code loadtest/jmh.sh FramingCheckBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FramingCheckBenchmark {

  private RequestFramingCheck check;
  private MultiMap getHeaders;
  private MultiMap postHeaders;

  @Setup(Level.Trial)
  public void setUp() {
    check = new RequestFramingCheck(EdgeLimits.DEFAULTS);
    getHeaders = headers(
        "Host", "api.example.com",
        "User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
        "Accept", "application/json, text/plain, */*",
        "Accept-Encoding", "gzip, deflate, br",
        "Accept-Language", "en-GB,en;q=0.7",
        "Connection", "keep-alive",
        "X-Request-Id", "8cf2a4c1-6f0e-4b7a-9d54-2a4f1c2e9b10",
        "Cookie", "session=4f1c2e9b10a4c1; theme=dark");
    postHeaders = headers(
        "Host", "api.example.com",
        "User-Agent", "okhttp/4.12.0",
        "Accept", "application/json",
        "Accept-Encoding", "gzip",
        "Authorization", "Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJiZW5jaCJ9.c2lnbmF0dXJl",
        "Content-Type", "application/json; charset=utf-8",
        "Content-Length", "348",
        "X-Request-Id", "1e9b10a4-c16f-4e0b-7a9d-542a4f1c2e9b");
    // A benchmark of a rejection would measure the wrong path.
    requireAccepted(get());
    requireAccepted(post());
  }

  /** GET /api/v1/orders?page=2 with 8 headers, keep-alive. */
  @Benchmark
  public EdgeRejection get() {
    return check.check(HttpVersion.HTTP_1_1, "GET", "/api/v1/orders?page=2", getHeaders);
  }

  /** POST /api/v1/orders with a Content-Length body and a bearer token, 8 headers. */
  @Benchmark
  public EdgeRejection post() {
    return check.check(HttpVersion.HTTP_1_1, "POST", "/api/v1/orders", postHeaders);
  }

  private static MultiMap headers(String... nameValuePairs) {
    MultiMap headers = HttpHeaders.headers();
    for (int i = 0; i < nameValuePairs.length; i += 2) {
      headers.add(nameValuePairs[i], nameValuePairs[i + 1]);
    }
    return headers;
  }

  private static void requireAccepted(EdgeRejection rejection) {
    if (rejection != null) {
      throw new IllegalStateException("request refused: " + rejection.code() + " (expected: accepted)");
    }
  }

  /** Runs the benchmark; arguments are JMH command-line options (e.g. {@code -f 2}). */
  public static void main(String[] args) throws CommandLineOptionException, RunnerException {
    Options options = new OptionsBuilder()
        .parent(new CommandLineOptions(args))
        .include(FramingCheckBenchmark.class.getName() + ".*")
        .build();
    new Runner(options).run();
  }
}
