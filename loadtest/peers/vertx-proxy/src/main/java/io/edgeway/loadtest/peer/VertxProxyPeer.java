package io.edgeway.loadtest.peer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import java.util.concurrent.TimeUnit;

/**
 * The bare vertx-http-proxy peer of loadtest/run.sh: one event loop, the library's reverse proxy,
 * and the two header edits every target of the harness makes (X-From-Gateway: 1 on the request,
 * X-Served-By on the response). Nothing else: no routing, no edge checks, no metrics, no logs, so
 * the distance between this and Edgeway is what Edgeway adds on the same Vert.x and Netty.
 *
 * <p>Settings come from the environment the harness sets: PEER_PORT, UPSTREAM_PORT, and TLS_CERT
 * with TLS_KEY under --tls.
 */
public final class VertxProxyPeer {

  private VertxProxyPeer() {
  }

  public static void main(String[] args) throws Exception {
    int port = portOf("PEER_PORT");
    int upstreamPort = portOf("UPSTREAM_PORT");
    // Like the gateway's Main: one loop (the harness gives it one core), native transport when the
    // class path has it; the line below tells which one ran, for the report.
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
    // The client's default pool is 5 connections with an unbounded queue; the harness's nginx keeps
    // 64 idle connections to the upstream, so this peer may open as many (wrk opens 50 by default).
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(64));
    HttpProxy proxy = HttpProxy.reverseProxy(client).origin(upstreamPort, "127.0.0.1");
    proxy.addInterceptor(new ProxyInterceptor() {
      @Override
      public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
        context.request().headers().set("X-From-Gateway", "1");
        return context.sendRequest();
      }

      @Override
      public Future<Void> handleProxyResponse(ProxyContext context) {
        context.response().headers().add("X-Served-By", "vertx-http-proxy");
        return context.sendResponse();
      }
    });
    HttpServerOptions serverOptions = new HttpServerOptions().setHost("127.0.0.1").setPort(port);
    String cert = System.getenv("TLS_CERT");
    String key = System.getenv("TLS_KEY");
    if (cert != null && key != null) {
      serverOptions.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert).setKeyPath(key));
      // BoringSSL, as the gateway uses when netty-tcnative loads; the JDK engine otherwise.
      if (OpenSSLEngineOptions.isAvailable()) {
        serverOptions.setSslEngineOptions(new OpenSSLEngineOptions());
      }
    }
    vertx.createHttpServer(serverOptions).requestHandler(proxy).listen().await(30, TimeUnit.SECONDS);
    System.out.println("vertx-http-proxy peer: listening on 127.0.0.1:" + port + ", upstream 127.0.0.1:" + upstreamPort
        + ", native transport: " + vertx.isNativeTransportEnabled()
        + (serverOptions.isSsl() ? ", TLS engine: " + (serverOptions.getSslEngineOptions() == null ? "jdk" : "openssl") : ""));
  }

  private static int portOf(String name) {
    String value = System.getenv(name);
    try {
      int port = Integer.parseInt(value == null ? "" : value);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below with the value
    }
    throw new IllegalArgumentException(name + ": " + value + " (expected: a port, 1 to 65535)");
  }
}
