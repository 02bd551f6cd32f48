package io.edgeway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A blocking HTTPS client on raw JDK sockets, for tests that must control the handshake: the SNI
 * name (or none), the client certificate, the protocol versions; it accepts any server
 * certificate and reports the one it got. Bounded: every read times out after 20 s.
 */
public final class TlsClient {
  /** What one exchange showed: the server's leaf, the protocol, and the raw response. */
  public record Result(X509Certificate serverCertificate, String protocol, String response) {
    public String serverName() {
      return serverCertificate.getSubjectX500Principal().getName();
    }

    public int status() {
      return Integer.parseInt(response.substring(9, 12));
    }
  }

  private TlsClient() {}

  /**
   * Sends {@code request} (its {@code Connection: close} makes the server end the response) and
   * reads to the end.
   *
   * @param sni the SNI name, or null to send none
   * @param client a client certificate, or null
   */
  public static Result exchange(int port, String sni, TestCertificates.Issued client, String request) throws Exception {
    try (SSLSocket socket = open(port, sni, client)) {
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return new Result((X509Certificate) socket.getSession().getPeerCertificates()[0], socket.getSession().getProtocol(),
          readAll(socket.getInputStream()));
    }
  }

  /** A {@code GET path} with {@code Host: host} and {@code Connection: close}. */
  public static Result get(int port, String sni, TestCertificates.Issued client, String host, String path,
      String... extraHeaders) throws Exception {
    StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
    for (String h : extraHeaders) {
      request.append(h).append("\r\n");
    }
    request.append("Connection: close\r\n\r\n");
    return exchange(port, sni, client, request.toString());
  }

  /** A handshaken socket; the caller closes it. */
  public static SSLSocket open(int port, String sni, TestCertificates.Issued client) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    KeyManagerFactory keys = null;
    if (client != null) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("client", client.keys().getPrivate(), "pw".toCharArray(),
          client.chain().toArray(new X509Certificate[0]));
      keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, "pw".toCharArray());
    }
    context.init(keys == null ? null : keys.getKeyManagers(), new TrustManager[] {new AcceptAll()}, null);
    Socket plain = new Socket();
    plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    plain.setSoTimeout(20_000);
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
    socket.setSSLParameters(parameters);
    socket.startHandshake();
    return socket;
  }

  static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    try {
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
      }
    } catch (javax.net.ssl.SSLException e) {
      // a close without close_notify after the whole response: what was read is the answer
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  private static final class AcceptAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
