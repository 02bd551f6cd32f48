package io.edgeway.ratelimit;

import io.edgeway.testing.OnContext;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/** A keep-alive client for one gateway port, with a blocking call for the test thread. */
final class GatewayClient {
  record Reply(int status, MultiMap headers, Buffer body) {
    JsonObject json() {
      return body.toJsonObject();
    }
  }

  private final Vertx vertx;
  private final HttpClient client;

  GatewayClient(Vertx vertx, int port) {
    this.vertx = vertx;
    client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(32));
  }

  io.vertx.core.Future<Reply> send(String uri, String... headers) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setURI(uri);
    for (int i = 0; i < headers.length; i += 2) {
      options.addHeader(headers[i], headers[i + 1]);
    }
    return OnContext.run(vertx, () -> client.request(options)
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.headers(), b))));
  }

  Reply get(String uri, String... headers) throws Exception {
    return send(uri, headers).await(20, TimeUnit.SECONDS);
  }
}
