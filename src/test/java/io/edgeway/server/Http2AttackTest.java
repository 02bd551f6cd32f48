package io.edgeway.server;

import io.edgeway.testing.TestVertx;
import static io.edgeway.testing.RawH2.CONTINUATION;
import static io.edgeway.testing.RawH2.END_HEADERS;
import static io.edgeway.testing.RawH2.END_STREAM;
import static io.edgeway.testing.RawH2.GOAWAY;
import static io.edgeway.testing.RawH2.HEADERS;
import static io.edgeway.testing.RawH2.RST_STREAM;
import static io.edgeway.testing.RawH2.SETTINGS;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.testing.RawH2;
import io.edgeway.testing.RawUpstream;
import io.edgeway.testing.TestGateway;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP/2 attacks of recent years, as raw frames (security.md A35): each ends in GOAWAY or a
 * stream reset with bounded work, and the gateway keeps serving other connections.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Http2AttackTest {
  private static final long PROTOCOL_ERROR = 0x1;
  private static final long ENHANCE_YOUR_CALM = 0xb;
  private static Vertx vertx;
  private static RawUpstream upstream;
  private static TestGateway gateway;

  @BeforeAll
  static void start() throws Exception {
    vertx = TestVertx.create();
    upstream = RawUpstream.start();
    gateway = TestGateway.start(vertx, """
        server:
          host: 127.0.0.1
          port: 0
          instances: 1
          http2: { enabled: true, max-resets-per-window: 50, max-concurrent-streams: 20 }
        admin: { host: 127.0.0.1, port: 0 }
        routes:
          - id: r
            match: { path: /r/** }
            upstream: { targets: [ { url: %s } ] }
        """.formatted(upstream.url()));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    upstream.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** The gateway still serves a well-behaved HTTP/2 client: HEADERS back on stream 1. */
  private static void stillServes() throws Exception {
    try (RawH2 client = RawH2.connect(gateway.port())) {
      client.headers(1, END_HEADERS | END_STREAM, RawH2.request("GET", "/r/alive"));
      RawH2.Received received = client.read(Duration.ofSeconds(5), f -> f.type() == HEADERS && f.streamId() == 1);
      assertThat(received.first(HEADERS)).as("a response on stream 1").isNotNull();
    }
  }

  @Test
  @DisplayName("rapid reset (CVE-2023-44487): HEADERS+RST_STREAM in a loop gets GOAWAY ENHANCE_YOUR_CALM")
  void rapidReset() throws Exception {
    try (RawH2 client = RawH2.connect(gateway.port())) {
      ByteArrayOutputStream burst = new ByteArrayOutputStream();
      byte[] block = RawH2.request("GET", "/r/rapid");
      for (int stream = 1; stream < 2 * 300; stream += 2) {
        burst.writeBytes(RawH2.frame(HEADERS, END_HEADERS | END_STREAM, stream, block));
        burst.writeBytes(RawH2.rst(stream, 0x8));
      }
      client.write(burst.toByteArray());
      RawH2.Received received = client.read(Duration.ofSeconds(10), f -> f.type() == GOAWAY);
      RawH2.Frame goAway = received.first(GOAWAY);
      assertThat(goAway).as("GOAWAY").isNotNull();
      assertThat(goAway.errorCode()).isEqualTo(ENHANCE_YOUR_CALM);
    }
    stillServes();
  }

  @Test
  @DisplayName("refusals do not spend the client's reset budget: 80 GETs answered 404 on one connection, no GOAWAY")
  void refusalsAreNotResets() throws Exception {
    try (RawH2 client = RawH2.connect(gateway.port())) {
      byte[] block = RawH2.request("GET", "/nowhere");
      List<RawH2.Frame> frames = new ArrayList<>();
      int stream = 1;
      for (int batch = 0; batch < 8; batch++) { // 10 at a time: under max-concurrent-streams (20)
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        for (int i = 0; i < 10; i++, stream += 2) {
          burst.writeBytes(RawH2.frame(HEADERS, END_HEADERS | END_STREAM, stream, block));
        }
        client.write(burst.toByteArray());
        int last = stream - 2;
        frames.addAll(client.read(Duration.ofSeconds(10),
            f -> f.type() == GOAWAY || (f.type() == HEADERS && f.streamId() == last)).frames());
      }
      assertThat(frames).noneMatch(f -> f.type() == GOAWAY || f.type() == RST_STREAM);
      assertThat(frames.stream().filter(f -> f.type() == HEADERS).count()).isEqualTo(80);
    }
  }

  @Test
  @DisplayName("CONTINUATION flood (CVE-2026-33871): endless empty CONTINUATION frames get GOAWAY")
  void continuationFlood() throws Exception {
    try (RawH2 client = RawH2.connect(gateway.port())) {
      ByteArrayOutputStream burst = new ByteArrayOutputStream();
      burst.writeBytes(RawH2.frame(HEADERS, END_STREAM, 1, RawH2.request("GET", "/r/continuation")));
      byte[] empty = RawH2.frame(CONTINUATION, 0, 1, new byte[0]);
      for (int i = 0; i < 10_000; i++) {
        burst.writeBytes(empty);
      }
      try {
        client.write(burst.toByteArray());
      } catch (java.io.IOException closedWhileWriting) {
        // the gateway hung up mid-flood: what the test wants
      }
      RawH2.Received received = client.read(Duration.ofSeconds(10), f -> f.type() == GOAWAY);
      assertThat(received.first(GOAWAY) != null || received.closed()).as("GOAWAY or close").isTrue();
      if (received.first(GOAWAY) != null) {
        assertThat(received.first(GOAWAY).errorCode()).isIn(ENHANCE_YOUR_CALM, PROTOCOL_ERROR);
      }
    }
    assertThat(upstream.completeRequests("/r/continuation")).isEmpty();
    stillServes();
  }

  @Test
  @DisplayName("HPACK bomb: one 4 KB table entry referenced 200 times (800 KB decoded) is refused, never forwarded")
  void hpackBomb() throws Exception {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    block.writeBytes(RawH2.request("GET", "/r/bomb"));
    block.write(0x40); // literal with incremental indexing, new name: enters the dynamic table
    RawH2.string(block, "x-bomb");
    RawH2.string(block, "a".repeat(4000));
    for (int i = 0; i < 200; i++) {
      block.write(0x80 | 62); // indexed: the entry just added
    }
    try (RawH2 client = RawH2.connect(gateway.port())) {
      client.headers(1, END_HEADERS | END_STREAM, block.toByteArray());
      RawH2.Received received = client.read(Duration.ofSeconds(5),
          f -> f.type() == GOAWAY || f.type() == RST_STREAM || (f.type() == HEADERS && f.streamId() == 1));
      boolean refused = received.first(GOAWAY) != null || received.first(RST_STREAM) != null
          || received.first(HEADERS) != null || received.closed();
      assertThat(refused).as("an answer (431), a reset or GOAWAY: %s", received.frames()).isTrue();
    }
    assertThat(RawUpstream.holdsFor(Duration.ofMillis(300), () -> upstream.completeRequests("/r/bomb").isEmpty()))
        .as("never forwarded").isTrue();
    stillServes();
  }

  @Test
  @DisplayName("ping flood: PINGs sent faster than their ACKs are read get GOAWAY or a close")
  void pingFlood() throws Exception {
    floodOf(RawH2.ping(42));
  }

  @Test
  @DisplayName("settings flood: SETTINGS sent faster than their ACKs are read get GOAWAY or a close")
  void settingsFlood() throws Exception {
    floodOf(RawH2.frame(SETTINGS, 0, 0, new byte[0]));
  }

  /** Writes {@code frame} over and over without reading, until the gateway gives up on the connection. */
  private static void floodOf(byte[] frame) throws Exception {
    boolean stopped = false;
    try (RawH2 client = RawH2.connect(gateway.port(), 4096)) {
      ByteArrayOutputStream burst = new ByteArrayOutputStream();
      for (int i = 0; i < 10_000; i++) {
        burst.writeBytes(frame);
      }
      byte[] bytes = burst.toByteArray();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      try {
        while (System.nanoTime() < deadline) {
          client.write(bytes); // blocks once the gateway stops reading: then it is the gateway's move
        }
      } catch (java.io.IOException closed) {
        stopped = true;
      }
      if (!stopped) {
        RawH2.Received received = client.read(Duration.ofSeconds(5), f -> f.type() == GOAWAY);
        stopped = received.closed() || received.first(GOAWAY) != null;
      }
    }
    assertThat(stopped).as("the gateway ended the flooding connection").isTrue();
    stillServes();
  }

}
