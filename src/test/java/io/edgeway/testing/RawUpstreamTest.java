package io.edgeway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.testing.RawHttp.RawResponse;
import io.edgeway.testing.RawUpstream.Connection;
import io.edgeway.testing.RawUpstream.Request;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RawUpstreamTest {
  private RawUpstream upstream;

  @BeforeEach
  void start() throws Exception {
    upstream = RawUpstream.start();
  }

  @AfterEach
  void stop() throws Exception {
    upstream.close();
  }

  @Test
  void contentLengthRequestIsParsedAndAnswered() throws Exception {
    String request = "POST /a?q=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";
    RawResponse r = RawHttp.send(upstream.port(), request);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("ok");
    Request got = upstream.awaitCompleteRequests("/a", 1, Duration.ofSeconds(5)).get(0);
    assertThat(got.method()).isEqualTo("POST");
    assertThat(got.target()).isEqualTo("/a?q=1");
    assertThat(got.path()).isEqualTo("/a");
    assertThat(got.header("content-length")).isEqualTo("5");
    assertThat(got.framing()).isEqualTo("content-length");
    assertThat(got.body()).isEqualTo("hello");
    assertThat(got.raw()).isEqualTo(request);
    Connection c = upstream.awaitConnectionClosed(got.connectionId(), Duration.ofSeconds(5));
    assertThat(c.received()).isEqualTo(request);
    assertThat(c.peerClosed()).isTrue();
    assertThat(c.partialHead()).isNull();
  }

  @Test
  void chunkedRequestWithTrailersIsParsedAndPipelinedRequestsAnswered() throws Exception {
    String chunked = "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 1\r\n\r\n";
    String second = "GET /d HTTP/1.1\r\nHost: x\r\n\r\n";
    try (Socket socket = new Socket("127.0.0.1", upstream.port())) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write((chunked + second).getBytes(StandardCharsets.ISO_8859_1));
      assertThat(RawHttp.read(socket.getInputStream()).status()).isEqualTo(200);
      assertThat(RawHttp.read(socket.getInputStream()).status()).isEqualTo(200);
    }
    List<Request> got = upstream.awaitCompleteRequests("/", 2, Duration.ofSeconds(5));
    assertThat(got).extracting(Request::path).containsExactly("/c", "/d");
    assertThat(got.get(0).framing()).isEqualTo("chunked");
    assertThat(got.get(0).body()).isEqualTo("hello world");
    assertThat(got.get(0).trailers()).containsExactly(new RawUpstream.Header("X-Sum", "1"));
    assertThat(got.get(0).raw()).isEqualTo(chunked);
    assertThat(got.get(1).framing()).isEqualTo("none");
    assertThat(got.get(0).connectionId()).isEqualTo(got.get(1).connectionId());
  }

  @Test
  void partialRequestIsRecordedButNeverAnsweredOrCounted() throws Exception {
    String partial = "POST /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n";
    try (Socket socket = new Socket("127.0.0.1", upstream.port())) {
      socket.setSoTimeout(500);
      socket.getOutputStream().write(partial.getBytes(StandardCharsets.ISO_8859_1));
      Connection open = upstream.awaitConnectionCarrying("hello\r\n", Duration.ofSeconds(5));
      assertThat(open.closed()).isFalse();
      assertThat(open.partialHead()).startsWith("POST /p HTTP/1.1\r\n");
      assertThat(RawUpstream.holdsFor(Duration.ofMillis(300), () -> upstream.completeRequests().isEmpty())).isTrue();
      assertThat(socket.getInputStream().available()).isZero();
    }
    Connection c = upstream.awaitConnectionClosed(upstream.connections().get(0).id(), Duration.ofSeconds(5));
    assertThat(c.requests()).isEmpty();
    assertThat(c.received()).isEqualTo(partial);
    assertThat(c.peerClosed()).isTrue();
    assertThat(upstream.completeRequests()).isEmpty();
  }

  @Test
  void unparseableFramingIsReportedAndTheRestStillRecorded() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", upstream.port())) {
      socket.getOutputStream().write("POST /z HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nmore"
          .getBytes(StandardCharsets.ISO_8859_1));
      upstream.awaitConnectionCarrying("more", Duration.ofSeconds(5));
    }
    Connection c = upstream.awaitConnectionClosed(upstream.connections().get(0).id(), Duration.ofSeconds(5));
    assertThat(c.parseError()).isEqualTo("chunk size: ZZ");
    assertThat(c.requests()).isEmpty();
  }
}
