package io.edgeway.cli;

import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code java -XX:ArchiveClassesAtExit=edgeway.jsa -jar edgeway.jar training-run [--request PATH]...
 * [GATEWAY ARGS]}: the training run of an application class-data archive. It starts the gateway
 * as the same arguments would, sends each request through its first listener (default
 * {@code /demo/hello}, the default configuration's demo route), stops it without a drain delay and
 * exits, at which point the JVM writes the archive of every class loaded. Later starts with
 * {@code -XX:SharedArchiveFile=edgeway.jsa} map those classes instead of loading and verifying
 * them: on one core, the first proxied response comes in about half the time
 * (docs/performance.md). No tool beyond the JVM is needed, so an image build can run it.
 */
public final class TrainingRun implements Subcommand {
  static final String DEFAULT_REQUEST = "/demo/hello";

  @Override
  public String name() {
    return "training-run";
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) {
    List<String> requests = new ArrayList<>();
    List<String> gatewayArgs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].equals("--request")) {
        gatewayArgs.add(args[i]);
      } else if (i + 1 < args.length && args[i + 1].startsWith("/")) {
        requests.add(args[++i]);
      } else {
        err.println("edgeway training-run: --request needs a path starting with /");
        return Main.USAGE;
      }
    }
    if (requests.isEmpty()) {
      requests.add(DEFAULT_REQUEST);
    }
    AtomicReference<Main.Started> started = new AtomicReference<>();
    int code = Main.run(gatewayArgs.toArray(String[]::new), out, err, started::set);
    if (code != Main.OK || started.get() == null) {
      return code;
    }
    Main.Started gateway = started.get();
    try {
      HttpClient client = gateway.vertx().createHttpClient();
      for (String path : requests) {
        out.println("training-run: GET " + path + ": " + send(client, gateway.gateway().port(), path));
      }
      client.close().await(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // The classes of start-up are loaded whatever happened to a request: still worth archiving.
      err.println("training-run: a request failed: " + e);
    }
    return gateway.shutdown().stopWithoutDrainDelay("training run done") ? Main.OK : Main.RUNTIME_FAILURE;
  }

  /** The response status, or what went wrong; the status does not matter to the archive. */
  private static String send(HttpClient client, int port, String path) throws Exception {
    return client.request(HttpMethod.GET, port, "127.0.0.1", path)
        .compose(request -> request.send())
        .compose(response -> response.body().map(body -> statusOf(response)))
        .await(10, TimeUnit.SECONDS);
  }

  private static String statusOf(HttpClientResponse response) {
    return response.statusCode() + " " + response.statusMessage();
  }
}
