package io.edgeway.proxy;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.testing.LogCapture;
import io.edgeway.testing.TestCertificates;
import io.edgeway.testing.TestCertificates.Issued;
import io.edgeway.testing.TestGateway;
import io.edgeway.testing.TestUpstream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code protocol: h2}: HTTP/2 to {@code https://} targets, negotiated by ALPN offering {@code h2}
 * only. The upstream is a Vert.x server with TLS and ALPN; it records the version each request
 * arrived in. A target that does not select {@code h2} is a 502 {@code upstream_protocol}, never a
 * silent fallback to HTTP/1.1.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UpstreamH2Test {
  @TempDir Path dir;
  private Vertx vertx;
  private Issued ca;
  private Path caFile;
  private TestUpstream upstream;
  private TestGateway gateway;
  private HttpClient h2Client;

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    ca = TestCertificates.ca("Upstream CA");
    caFile = ca.writeCertificate(dir.resolve("ca.pem"));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (h2Client != null) {
      h2Client.close().await(10, TimeUnit.SECONDS);
    }
    if (gateway != null) {
      gateway.close();
    }
    if (upstream != null) {
      upstream.close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /**
   * A TLS upstream on 127.0.0.1 whose certificate names {@code localhost}, offering {@code alpn}
   * (none: no ALPN at all).
   */
  private TestUpstream tlsUpstream(List<HttpVersion> alpn) throws Exception {
    Path[] files = TestCertificates.leaf(ca, "EC", "localhost").write(dir, "upstream", true);
    HttpServerOptions options = new HttpServerOptions().setSsl(true).setHost("127.0.0.1").setSni(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(files[0].toString()).setKeyPath(files[1].toString()));
    if (alpn.isEmpty()) {
      options.setUseAlpn(false);
    } else {
      options.setUseAlpn(true).setAlpnVersions(alpn);
    }
    return TestUpstream.start(vertx, options);
  }

  /**
   * The gateway, h2c on its listener. The connect timeout is also how long a request waits for
   * its connection: generous, since the first TLS handshake of a cold JVM on a shared machine
   * can take seconds.
   */
  private TestGateway gateway(String tls) throws Exception {
    return TestGateway.start(vertx, """
        server: { host: 127.0.0.1, port: 0, instances: 1, http2: { enabled: true } }
        admin: { host: 127.0.0.1, port: 0 }
        routes:
          - id: api
            match: { path: /api/** }
            upstream: { protocol: h2, targets: [ { url: "%s" } ], timeouts: { connect: 30s }%s }
        """.formatted(upstream.url(), tls == null ? "" : ", tls: " + tls));
  }

  @Test
  void anHttp11ClientReachesTheTargetInHttp2OverTlsWithSniAndItsBody() throws Exception {
    upstream = tlsUpstream(List.of(HttpVersion.HTTP_2));
    upstream.respondWith(req -> req.response().putHeader("X-Sni", String.valueOf(req.connection().indicatedServerName()))
        .end("got " + req.version()));
    gateway = gateway("{ ca-file: " + caFile + " }");

    String response = raw(gateway.port(), "POST /api/orders?x=1 HTTP/1.1\r\nHost: gw\r\nContent-Length: 5\r\n"
        + "Connection: close\r\n\r\nhello");

    assertThat(response).startsWith("HTTP/1.1 200 ").endsWith("got HTTP_2");
    assertThat(response.toLowerCase()).contains("x-sni: localhost");
    TestUpstream.Received received = upstream.last();
    assertThat(received.version()).isEqualTo(HttpVersion.HTTP_2);
    assertThat(received.method()).isEqualTo("POST");
    assertThat(received.uri()).isEqualTo("/api/orders?x=1");
    assertThat(received.body().toString()).isEqualTo("hello");
    // The target's authority, sent as :authority (Vert.x's server shows it as Host).
    assertThat(received.headers().get("host")).isEqualTo("localhost:" + upstream.port());
    assertThat(received.headers().contains("connection")).isFalse();
  }

  @Test
  void anHttp2ClientReachesTheTargetInHttp2() throws Exception {
    upstream = tlsUpstream(List.of(HttpVersion.HTTP_2));
    gateway = gateway("{ ca-file: " + caFile + " }");
    h2Client = h2Client();

    HttpClientResponse response = h2Client.request(HttpMethod.PUT, gateway.port(), "127.0.0.1", "/api/item")
        .compose(req -> req.send(Buffer.buffer("body over h2 both ways")))
        .await(20, TimeUnit.SECONDS);

    assertThat(response.version()).isEqualTo(HttpVersion.HTTP_2);
    assertThat(response.statusCode()).isEqualTo(200);
    TestUpstream.Received received = upstream.last();
    assertThat(received.version()).isEqualTo(HttpVersion.HTTP_2);
    assertThat(received.method()).isEqualTo("PUT");
    assertThat(received.body().toString()).isEqualTo("body over h2 both ways");
  }

  @Test
  void concurrentRequestsShareOneMultiplexedConnection() throws Exception {
    upstream = tlsUpstream(List.of(HttpVersion.HTTP_2));
    gateway = gateway("{ ca-file: " + caFile + " }");
    h2Client = h2Client();
    // The first request opens the connection (the TLS handshake is out of the concurrent part).
    assertThat(h2Client.request(HttpMethod.GET, gateway.port(), "127.0.0.1", "/api/first")
        .compose(req -> req.send()).map(HttpClientResponse::statusCode).await(20, TimeUnit.SECONDS)).isEqualTo(200);
    // Nobody is answered before all have arrived: they are in flight together, so an HTTP/1.1
    // pool would need one connection each.
    int concurrent = 12;
    List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
    upstream.respondWith(req -> {
      held.add(req);
      if (held.size() == concurrent) {
        held.forEach(r -> r.response().end("done " + r.uri()));
      }
    });

    List<Future<String>> replies = new ArrayList<>();
    for (int i = 0; i < concurrent; i++) {
      replies.add(h2Client.request(HttpMethod.GET, gateway.port(), "127.0.0.1", "/api/r" + i)
          .compose(req -> req.send().compose(HttpClientResponse::body)).map(Buffer::toString));
    }
    Future.all(replies).await(30, TimeUnit.SECONDS);

    for (int i = 0; i < concurrent; i++) {
      assertThat(replies.get(i).result()).isEqualTo("done /api/r" + i);
    }
    assertThat(upstream.received()).hasSize(concurrent + 1)
        .allSatisfy(r -> assertThat(r.version()).isEqualTo(HttpVersion.HTTP_2));
    assertThat(upstream.connections()).isEqualTo(1);
  }

  @Test
  void aCertificateThatDoesNotVerifyIs502UpstreamTlsWithTheReasonLogged() throws Exception {
    upstream = tlsUpstream(List.of(HttpVersion.HTTP_2));
    try (LogCapture log = LogCapture.of(UpstreamCall.class)) {
      gateway = gateway(null);
      String response = raw(gateway.port(), "GET /api/x HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n");
      assertThat(response).startsWith("HTTP/1.1 502 ").contains("\"code\":\"upstream_tls\"");
      assertThat(log.await(1, 5000)).anySatisfy(e -> assertThat(e.getFormattedMessage())
          .contains("TLS with " + upstream.url() + " failed").contains("PKIX path building failed"));
    }
    assertThat(upstream.count()).isZero();
  }

  @Test
  void aTargetOfferingOnlyHttp11Is502UpstreamProtocolNeverAFallback() throws Exception {
    upstream = tlsUpstream(List.of(HttpVersion.HTTP_1_1));
    try (LogCapture pool = LogCapture.of(MultiplexedPool.class); LogCapture call = LogCapture.of(UpstreamCall.class)) {
      gateway = gateway("{ ca-file: " + caFile + " }");
      String response = raw(gateway.port(), "GET /api/x HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n");
      assertThat(response).startsWith("HTTP/1.1 502 ").contains("\"code\":\"upstream_protocol\"");
      // A server that enforces ALPN ends the handshake with the no_application_protocol alert.
      assertThat(pool.messages()).anySatisfy(m -> assertThat(m).contains("upstream " + upstream.url())
          .contains("did not select h2").containsIgnoringCase("no_application_protocol"));
      assertThat(call.messages()).as("logged once, by the pool, not again as a TLS failure").isEmpty();
    }
    assertThat(upstream.count()).as("nothing reached the target in HTTP/1.1").isZero();
  }

  @Test
  void aTargetWithoutAlpnIs502UpstreamProtocolWithTheTargetLogged() throws Exception {
    upstream = tlsUpstream(List.of());
    try (LogCapture log = LogCapture.of(MultiplexedPool.class)) {
      gateway = gateway("{ ca-file: " + caFile + " }");
      String response = raw(gateway.port(), "GET /api/x HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n");
      assertThat(response).startsWith("HTTP/1.1 502 ").contains("\"code\":\"upstream_protocol\"");
      // The handshake succeeds without ALPN; Vert.x, offering h2 alone, will not speak HTTP/1.1.
      assertThat(log.messages()).anySatisfy(m -> assertThat(m).contains("upstream " + upstream.url())
          .contains("did not select h2").contains("HTTP/1.1 not supported"));
    }
    assertThat(upstream.count()).isZero();
  }

  @Test
  void mutualTlsToAnH2Target() throws Exception {
    Path[] files = TestCertificates.leaf(ca, "EC", "localhost").write(dir, "upstream", true);
    upstream = TestUpstream.start(vertx, new HttpServerOptions().setSsl(true).setHost("127.0.0.1")
        .setUseAlpn(true).setAlpnVersions(List.of(HttpVersion.HTTP_2))
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(files[0].toString()).setKeyPath(files[1].toString()))
        .setClientAuth(ClientAuth.REQUIRED).setTrustOptions(new PemTrustOptions().addCertPath(caFile.toString()))
        // Without a certificate to send, the gateway's TLS 1.3 handshake waits for the upstream's
        // verdict until the upstream's handshake timeout: short here, so the test stays quick.
        .setSslHandshakeTimeout(2).setSslHandshakeTimeoutUnit(TimeUnit.SECONDS));
    upstream.respondWith(req -> {
      try {
        req.response().end(String.valueOf(req.connection().peerCertificates().size()));
      } catch (Exception e) {
        req.response().setStatusCode(500).end(e.toString());
      }
    });
    Path[] client = TestCertificates.leaf(ca, "RSA", "gateway.example.test").write(dir, "gateway", false);
    gateway = gateway("{ ca-file: " + caFile + " }");
    // Refused without a certificate. (Over HTTP/2 with TLS 1.3 the gateway's handshake has
    // completed when the target sends its alert, and Vert.x reports only a closed connection:
    // 502 upstream_unreachable here, where HTTP/1.1 gets upstream_tls.)
    assertThat(raw(gateway.port(), "GET /api/x HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 502 ");
    assertThat(upstream.count()).isZero();
    gateway.close();
    gateway = gateway("{ ca-file: " + caFile + ", cert-file: " + client[0] + ", key-file: " + client[1] + " }");
    assertThat(raw(gateway.port(), "GET /api/x HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 200 ").endsWith("1");
    assertThat(upstream.last().version()).isEqualTo(HttpVersion.HTTP_2);
  }

  @Test
  void insecureSkipVerifyAppliesToH2Too() throws Exception {
    upstream = tlsUpstream(List.of(HttpVersion.HTTP_2));
    gateway = gateway("{ insecure-skip-verify: true }");
    assertThat(raw(gateway.port(), "GET /api/x HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 200 ");
    assertThat(upstream.last().version()).isEqualTo(HttpVersion.HTTP_2);
  }

  /** HTTP/2 with prior knowledge to the gateway's clear-text listener. */
  private HttpClient h2Client() {
    return vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false));
  }

  private static String raw(int port, String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
