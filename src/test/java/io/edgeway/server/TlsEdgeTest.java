package io.edgeway.server;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.server.tls.CertificateReloader;
import io.edgeway.testing.LogCapture;
import io.edgeway.testing.RecordingStateEvents;
import io.edgeway.testing.TestCertificates;
import io.edgeway.testing.TestCertificates.Issued;
import io.edgeway.testing.TestGateway;
import io.edgeway.testing.TestUpstream;
import io.edgeway.testing.TlsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS at the edge, end to end through a running gateway with real handshakes on loopback. */
class TlsEdgeTest {
  @TempDir Path dir;
  private Vertx vertx;
  private TestUpstream upstream;
  private TestGateway gateway;
  private Issued ca;

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    upstream = TestUpstream.start(vertx);
    ca = TestCertificates.ca("Edgeway Test CA");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    upstream.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private String routes() {
    return "routes:\n"
        + "  - { id: open, match: { path: /open/** }, upstream: { targets: [ { url: " + upstream.url() + " } ] } }\n"
        + "  - id: secure\n"
        + "    match: { path: /secure/** }\n"
        + "    upstream: { targets: [ { url: " + upstream.url() + " } ] }\n"
        + "    filters: [ { mtls: { forward-subject: true, forward-sha256: true } } ]\n";
  }

  private static String cert(Path[] files) {
    return "{ cert-file: " + files[0] + ", key-file: " + files[1] + " }";
  }

  @Test
  void sniChoosesTheCertificateExactThenWildcardElseTheFirst() throws Exception {
    Path[] fallback = TestCertificates.leaf(ca, "EC", "default.example.test").write(dir, "default", true);
    Path[] exact = TestCertificates.leaf(ca, "RSA", "a.example.test").write(dir, "a", false);
    Path[] wildcard = TestCertificates.leaf(ca, "EC", "*.wild.example.test").write(dir, "wild", false);
    gateway = TestGateway.start(vertx, "server: { host: 127.0.0.1, port: 0, instances: 1, tls: { certificates: [ "
        + cert(fallback) + ", " + cert(exact) + ", " + cert(wildcard) + " ] } }\n"
        + "admin: { host: 127.0.0.1, port: 0 }\n" + routes());
    int port = gateway.port();

    TlsClient.Result a = TlsClient.get(port, "a.example.test", null, "a.example.test", "/open/x");
    assertThat(a.serverName()).contains("CN=a.example.test");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.protocol()).isEqualTo("TLSv1.3");
    assertThat(TlsClient.get(port, "api.wild.example.test", null, "h", "/open/x").serverName())
        .contains("CN=*.wild.example.test");
    assertThat(TlsClient.get(port, "A.Example.Test", null, "h", "/open/x").serverName()).contains("CN=a.example.test");
    // One label deep only, and anything unknown or absent gets the first certificate.
    assertThat(TlsClient.get(port, "a.b.wild.example.test", null, "h", "/open/x").serverName())
        .contains("CN=default.example.test");
    assertThat(TlsClient.get(port, "unknown.test", null, "h", "/open/x").serverName())
        .contains("CN=default.example.test");
    assertThat(TlsClient.get(port, null, null, "h", "/open/x").serverName()).contains("CN=default.example.test");
    assertThat(upstream.last().headers().get("X-Forwarded-Proto")).isEqualTo("https");
  }

  @Test
  void tls11AndNonForwardSecretCiphersAreRefused() throws Exception {
    Path[] files = TestCertificates.leaf(ca, "RSA", "localhost").write(dir, "localhost", true);
    gateway = TestGateway.start(vertx, "server: { host: 127.0.0.1, port: 0, instances: 1, tls: { certificates: [ "
        + cert(files) + " ] } }\nadmin: { host: 127.0.0.1, port: 0 }\n" + routes());
    int port = gateway.port();
    // The same client, so a refusal is the server's: TLS 1.2 with a default suite works...
    assertThat(openssl(port, "-tls1_2")).isZero();
    // ...TLS 1.1 (re-enabled in the client) and a TLS 1.2 suite without ECDHE do not.
    assertThat(openssl(port, "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0")).isNotZero();
    assertThat(openssl(port, "-tls1_2", "-cipher", "AES128-SHA")).isNotZero();
  }

  @Test
  void http2IsOfferedThroughAlpnOnTlsListenersWhenEnabled() throws Exception {
    Path[] files = TestCertificates.leaf(ca, "EC", "localhost").write(dir, "localhost", true);
    gateway = TestGateway.start(vertx, "server: { host: 127.0.0.1, port: 0, instances: 1, http2: { enabled: true }, "
        + "tls: { certificates: [ " + cert(files) + " ] } }\nadmin: { host: 127.0.0.1, port: 0 }\n" + routes());
    int port = gateway.port();
    for (io.vertx.core.http.HttpVersion version
        : List.of(io.vertx.core.http.HttpVersion.HTTP_2, io.vertx.core.http.HttpVersion.HTTP_1_1)) {
      io.vertx.core.http.HttpClient client = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
          .setSsl(true).setTrustAll(true).setVerifyHost(false).setUseAlpn(true).setProtocolVersion(version));
      try {
        io.vertx.core.http.HttpClientResponse response = client
            .request(io.vertx.core.http.HttpMethod.GET, port, "127.0.0.1", "/open/alpn")
            .compose(req -> req.send())
            .await(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        // ALPN chose what the client preferred: h2 when offered, HTTP/1.1 still served beside it.
        assertThat(response.version()).isEqualTo(version);
      } finally {
        client.close().await(10, TimeUnit.SECONDS);
      }
    }
  }

  private static int openssl(int port, String... options) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
        "-servername", "localhost"));
    command.addAll(List.of(options));
    Process process = new ProcessBuilder(command).redirectInput(new File("/dev/null"))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("openssl s_client finished").isTrue();
    return process.exitValue();
  }

  @Test
  void aPlainListenerRedirectsToTheTlsOneWith308() throws Exception {
    Path[] files = TestCertificates.leaf(ca, "EC", "shop.example.test").write(dir, "shop", true);
    gateway = TestGateway.start(vertx, "server:\n  instances: 1\n  listeners:\n"
        + "    - { host: 127.0.0.1, port: 0, redirect-to-https: true }\n"
        + "    - { host: 127.0.0.1, port: 0, tls: { certificates: [ " + cert(files) + " ] } }\n"
        + "admin: { host: 127.0.0.1, port: 0 }\n" + routes());
    String response = plain(gateway.port(0),
        "GET /open/a%20b?x=1&y=2 HTTP/1.1\r\nHost: Shop.Example.Test:8080\r\nConnection: close\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 308 ");
    assertThat(response).containsIgnoringCase("location: https://shop.example.test:" + gateway.port(1)
        + "/open/a%20b?x=1&y=2\r\n");
    assertThat(upstream.count()).isZero();
    TlsClient.Result tls = TlsClient.get(gateway.port(1), "shop.example.test", null, "shop.example.test", "/open/a");
    assertThat(tls.status()).isEqualTo(200);
  }

  @Test
  void proxyProtocolV1AndV2GiveTheClientAddressOnlyFromTrustedProxies() throws Exception {
    gateway = TestGateway.start(vertx, "server:\n  instances: 1\n  trusted-proxies: [127.0.0.1/32]\n  listeners:\n"
        + "    - { host: 127.0.0.1, port: 0, proxy-protocol: v1 }\n"
        + "    - { host: 127.0.0.1, port: 0, proxy-protocol: v2 }\n"
        + "admin: { host: 127.0.0.1, port: 0 }\n" + routes());
    String request = "GET /open/ip HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 198.51.100.9\r\nConnection: close\r\n\r\n";
    String v1 = "PROXY TCP4 203.0.113.7 127.0.0.1 40000 80\r\n";
    assertThat(plain(gateway.port(0), v1 + request)).startsWith("HTTP/1.1 200 ");
    assertThat(upstream.last().headers().get("X-Forwarded-For")).isEqualTo("203.0.113.7");
    assertThat(plainBytes(gateway.port(1), concat(proxyV2(new byte[] {(byte) 203, 0, 113, 8}),
        request.getBytes(StandardCharsets.ISO_8859_1)))).startsWith("HTTP/1.1 200 ");
    assertThat(upstream.last().headers().get("X-Forwarded-For")).isEqualTo("203.0.113.8");
    gateway.close();

    // The same header from a peer that is not a trusted proxy is ignored: the socket peer is the client.
    gateway = TestGateway.start(vertx, "server:\n  instances: 1\n  listeners:\n"
        + "    - { host: 127.0.0.1, port: 0, proxy-protocol: v1 }\n"
        + "admin: { host: 127.0.0.1, port: 0 }\n" + routes());
    assertThat(plain(gateway.port(), v1 + request)).startsWith("HTTP/1.1 200 ");
    assertThat(upstream.last().headers().get("X-Forwarded-For")).isEqualTo("127.0.0.1");
  }

  private static byte[] proxyV2(byte[] source) {
    byte[] header = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x21, 0x11, 0x00, 0x0C,
        source[0], source[1], source[2], source[3], 127, 0, 0, 1, (byte) 0x9C, 0x40, 0x00, 0x50};
    return header;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void mutualTlsAtTheEdge() throws Exception {
    Path[] server = TestCertificates.leaf(ca, "EC", "api.example.test").write(dir, "api", true);
    Path caFile = ca.writeCertificate(dir.resolve("clients-ca.pem"));
    Issued client = TestCertificates.leaf(ca, "EC", "client-1.example.test");
    Issued stranger = TestCertificates.leaf(TestCertificates.ca("Other CA"), "EC", "stranger.example.test");
    gateway = TestGateway.start(vertx, "server:\n  instances: 1\n  listeners:\n"
        + "    - { host: 127.0.0.1, port: 0, tls: { certificates: [ " + cert(server) + " ], client-auth: request, "
        + "client-ca-file: " + caFile + " } }\n"
        + "    - { host: 127.0.0.1, port: 0, tls: { certificates: [ " + cert(server) + " ], client-auth: require, "
        + "client-ca-file: " + caFile + " } }\n"
        + "admin: { host: 127.0.0.1, port: 0 }\n" + routes());

    TlsClient.Result ok = TlsClient.get(gateway.port(0), "api.example.test", client, "api.example.test", "/secure/x",
        "X-Client-Cert-Subject: CN=admin");
    assertThat(ok.status()).isEqualTo(200);
    String fingerprint = HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(client.certificate().getEncoded()));
    assertThat(upstream.last().headers().getAll("X-Client-Cert-Subject"))
        .containsExactly("O=Edgeway Test,CN=client-1.example.test");
    assertThat(upstream.last().headers().get("X-Client-Cert-Sha256")).isEqualTo(fingerprint);

    TlsClient.Result anonymous = TlsClient.get(gateway.port(0), "api.example.test", null, "h", "/secure/x");
    assertThat(anonymous.status()).isEqualTo(403);
    assertThat(anonymous.response()).contains("\"code\":\"client_certificate_required\"");

    // A client's own X-Client-Cert-* never reaches an upstream, with or without the filter.
    TlsClient.Result spoof = TlsClient.get(gateway.port(0), "api.example.test", null, "h", "/open/x",
        "X-Client-Cert-Subject: CN=admin", "X-Client-Cert-Sha256: 00");
    assertThat(spoof.status()).isEqualTo(200);
    assertThat(upstream.last().headers().contains("X-Client-Cert-Subject")).isFalse();
    assertThat(upstream.last().headers().contains("X-Client-Cert-Sha256")).isFalse();

    // client-auth: require ends the handshake for clients without a certificate from the CA.
    assertThat(TlsClient.get(gateway.port(1), "api.example.test", client, "h", "/open/x").status()).isEqualTo(200);
    assertThat(refused(gateway.port(1), null)).isTrue();
    assertThat(refused(gateway.port(1), stranger)).isTrue();
  }

  @Test
  void changedCertificatesAreReloadedAndABadOneKeepsTheOld() throws Exception {
    Path[] files = TestCertificates.leaf(ca, "RSA", "old.example.test").write(dir, "site", false);
    RecordingStateEvents events = new RecordingStateEvents();
    gateway = TestGateway.start(vertx, "server: { host: 127.0.0.1, port: 0, instances: 2, tls: { certificates: [ "
        + cert(files) + " ] } }\nadmin: { host: 127.0.0.1, port: 0 }\n" + routes(), List.of(events));
    int port = gateway.port();
    CertificateReloader reloader = gateway.gateway().certificateReloaders().get(0);
    assertThat(reloader.check().await(10, TimeUnit.SECONDS)).as("nothing changed yet").isFalse();

    try (SSLSocket before = TlsClient.open(port, "old.example.test", null)) {
      // A renewal (an EC key now, PKCS#8) written over the same files:
      TestCertificates.leaf(ca, "EC", "new.example.test").write(dir, "site", true);
      assertThat(reloader.check().await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(events.await("tls.reloaded", 10).subject()).isEqualTo("server.tls");
      assertThat(TlsClient.get(port, "new.example.test", null, "h", "/open/x").serverName())
          .contains("CN=new.example.test");
      // The connection opened before the reload is still served, with the session it negotiated.
      assertThat(before.getSession().getPeerCertificates()[0].toString()).contains("old.example.test");
      before.getOutputStream().write("GET /open/x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.ISO_8859_1));
      assertThat(new String(before.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1))
          .startsWith("HTTP/1.1 200 ");
    }

    try (LogCapture log = LogCapture.of(CertificateReloader.class)) {
      Files.writeString(files[1], "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
      assertThat(reloader.check().await(10, TimeUnit.SECONDS)).isFalse();
      assertThat(log.messages()).anySatisfy(m -> assertThat(m)
          .contains("server.tls.certificates[0].key-file: " + files[1]).contains("keeping the certificates in use"));
    }
    assertThat(events.await("tls.reload-failed", 10).data().get("error").toString())
        .contains("server.tls.certificates[0].key-file");
    assertThat(TlsClient.get(port, "new.example.test", null, "h", "/open/x").serverName())
        .contains("CN=new.example.test");
    JsonObject status = new JsonObject(new String(
        new URL("http://127.0.0.1:" + gateway.adminPort() + "/tls").openStream().readAllBytes(), StandardCharsets.UTF_8));
    JsonObject listener = status.getJsonArray("listeners").getJsonObject(0);
    assertThat(listener.getString("lastReloadError")).contains("key-file");
    assertThat(listener.getJsonArray("certificates").getJsonObject(0).getJsonArray("names").getList())
        .containsExactly("new.example.test");
  }

  /**
   * True when the listener served no response: with TLS 1.3 the server checks the client's
   * certificate after the client considers the handshake done, so the refusal arrives as an alert
   * (an exception) or a close instead of the response.
   */
  private static boolean refused(int port, Issued client) {
    try {
      return TlsClient.get(port, "api.example.test", client, "h", "/open/x").response().isEmpty();
    } catch (SSLException | java.net.SocketException e) {
      return true;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String plain(int port, String request) throws Exception {
    return plainBytes(port, request.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static String plainBytes(int port, byte[] request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
