package io.edgeway.bench;

import io.edgeway.routing.HeaderLookup;
import io.edgeway.routing.RouteMatch;
import io.edgeway.routing.RouteSpec;
import io.edgeway.routing.RouteTable;
import io.edgeway.routing.SyntheticRoutes;
import java.util.List;
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
 * Cost of one {@link RouteTable#match} over a mix of requests (hits with and without captured
 * parameters, 405s and 404s, several hosts), and over the hits alone, for tables of 10 and 10,000 synthetic routes.
 * Run with {@code loadtest/jmh.sh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RouteTableBenchmark {

  private static final int REQUESTS = 4096;

  @Param({"10", "10000"})
  public int routes;

  private RouteTable<String> table;
  private String[] methods;
  private String[] hosts;
  private String[] paths;
  private HeaderLookup[] headers;
  /** Indexes of the requests that find a route (the common case in production). */
  private int[] hits;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    List<RouteSpec<String>> specs = SyntheticRoutes.routes(routes, 42);
    table = SyntheticRoutes.table(specs);
    List<SyntheticRoutes.Request> requests = SyntheticRoutes.requests(specs, REQUESTS, 7);
    methods = new String[REQUESTS];
    hosts = new String[REQUESTS];
    paths = new String[REQUESTS];
    headers = new HeaderLookup[REQUESTS];
    for (int i = 0; i < REQUESTS; i++) {
      SyntheticRoutes.Request r = requests.get(i);
      methods[i] = r.method();
      hosts[i] = r.host();
      paths[i] = r.path();
      headers[i] = r.headerLookup();
    }
    int[] found = new int[REQUESTS];
    int n = 0;
    for (int i = 0; i < REQUESTS; i++) {
      if (table.match(methods[i], hosts[i], paths[i], headers[i]) instanceof RouteMatch.Found<String>) {
        found[n++] = i;
      }
    }
    // Keep a power of two of them so the benchmark can cycle with a mask.
    hits = new int[Integer.highestOneBit(n)];
    for (int i = 0; i < hits.length; i++) {
      hits[i] = found[i];
    }
  }

  /** Mixed traffic: about half the requests find a route, the rest are 404s and 405s. */
  @Benchmark
  public RouteMatch<String> mixed() {
    int i = next++ & (REQUESTS - 1);
    return table.match(methods[i], hosts[i], paths[i], headers[i]);
  }

  /** Only requests that find a route. */
  @Benchmark
  public RouteMatch<String> found() {
    int i = hits[next++ & (hits.length - 1)];
    return table.match(methods[i], hosts[i], paths[i], headers[i]);
  }

  /** Runs the benchmark; arguments are JMH command-line options (e.g. {@code -f 2 -p routes=10}). */
  public static void main(String[] args) throws CommandLineOptionException, RunnerException {
    Options options = new OptionsBuilder()
        .parent(new CommandLineOptions(args))
        .include(RouteTableBenchmark.class.getName() + ".*")
        .build();
    new Runner(options).run();
  }
}
