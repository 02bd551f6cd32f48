package io.edgeway.proxy;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.runtime.RouteCompiler;
import io.edgeway.testing.LogCapture;
import io.edgeway.testing.TestCertificates;
import io.edgeway.testing.TestCertificates.Issued;
import io.edgeway.testing.TestGateway;
import io.edgeway.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code https://} upstreams: verification, host names, SNI, client certificates, the opt-out. */
class UpstreamTlsTest {
  @TempDir Path dir;
  private Vertx vertx;
  private Issued ca;
  private Path caFile;
  private TestUpstream upstream;
  private TestGateway gateway;

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    ca = TestCertificates.ca("Upstream CA");
    caFile = ca.writeCertificate(dir.resolve("ca.pem"));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    if (upstream != null) {
      upstream.close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** An HTTPS upstream on 127.0.0.1 whose certificate names {@code name}; requires a client certificate from the CA when asked. */
  private TestUpstream httpsUpstream(String name, boolean requireClientCertificate) throws Exception {
    Path[] files = TestCertificates.leaf(ca, "EC", name).write(dir, "upstream", true);
    HttpServerOptions options = new HttpServerOptions().setSsl(true).setHost("127.0.0.1").setSni(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(files[0].toString()).setKeyPath(files[1].toString()));
    if (requireClientCertificate) {
      // Without a certificate to send, the gateway's TLS 1.3 handshake waits for the upstream's
      // verdict until the upstream's handshake timeout: short here, so the test stays quick.
      options.setClientAuth(ClientAuth.REQUIRED).setTrustOptions(new PemTrustOptions().addCertPath(caFile.toString()))
          .setSslHandshakeTimeout(2).setSslHandshakeTimeoutUnit(TimeUnit.SECONDS);
    }
    return TestUpstream.start(vertx, options);
  }

  private TestGateway gateway(String tls) throws Exception {
    return TestGateway.start(vertx, "routes:\n  - id: api\n    match: { path: /api/** }\n"
        + "    upstream: { targets: [ { url: " + upstream.url() + " } ]" + (tls == null ? "" : ", tls: " + tls) + " }\n");
  }

  @Test
  void aCertificateTheSystemStoreDoesNotTrustIs502UpstreamTlsWithTheReasonLogged() throws Exception {
    upstream = httpsUpstream("localhost", false);
    try (LogCapture log = LogCapture.of(UpstreamCall.class)) {
      gateway = gateway(null);
      String response = get(gateway.port(), "/api/x");
      assertThat(response).startsWith("HTTP/1.1 502 ").contains("\"code\":\"upstream_tls\"");
      assertThat(log.await(1, 5000)).anySatisfy(e -> assertThat(e.getFormattedMessage())
          .contains("TLS with https://localhost:" + upstream.port() + " failed").contains("PKIX path building failed"));
    }
    assertThat(upstream.count()).isZero();
  }

  @Test
  void aCaBundleVerifiesTheTargetAndItsHostNameWithSni() throws Exception {
    upstream = httpsUpstream("localhost", false);
    upstream.respondWith(req -> req.response().end(String.valueOf(req.connection().indicatedServerName())));
    gateway = gateway("{ ca-file: " + caFile + " }");
    String response = get(gateway.port(), "/api/x");
    assertThat(response).startsWith("HTTP/1.1 200 ").endsWith("localhost");
  }

  @Test
  void aCertificateForAnotherHostIsRefused() throws Exception {
    upstream = httpsUpstream("other.example.test", false);
    gateway = gateway("{ ca-file: " + caFile + " }");
    assertThat(get(gateway.port(), "/api/x")).startsWith("HTTP/1.1 502 ").contains("upstream_tls");
    assertThat(upstream.count()).isZero();
  }

  @Test
  void mutualTlsToTheUpstream() throws Exception {
    upstream = httpsUpstream("localhost", true);
    Path[] client = TestCertificates.leaf(ca, "RSA", "gateway.example.test").write(dir, "gateway", false);
    gateway = gateway("{ ca-file: " + caFile + " }");
    assertThat(get(gateway.port(), "/api/x")).startsWith("HTTP/1.1 502 ").contains("upstream_tls");
    gateway.close();
    gateway = gateway("{ ca-file: " + caFile + ", cert-file: " + client[0] + ", key-file: " + client[1] + " }");
    assertThat(get(gateway.port(), "/api/x")).startsWith("HTTP/1.1 200 ");
    assertThat(upstream.count()).isEqualTo(1);
  }

  @Test
  void insecureSkipVerifyIsAnExplicitLoggedOptOut() throws Exception {
    upstream = httpsUpstream("other.example.test", false);
    try (LogCapture log = LogCapture.of(RouteCompiler.class)) {
      gateway = gateway("{ insecure-skip-verify: true }");
      assertThat(log.messages()).anySatisfy(m -> assertThat(m).contains("route api")
          .contains("upstream TLS verification is OFF"));
    }
    assertThat(get(gateway.port(), "/api/x")).startsWith("HTTP/1.1 200 ");
  }

  private static String get(int port, String path) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
