package io.edgeway.testsupport;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisServerTest {

  @TempDir
  Path tempDir;

  @Test
  void answersPingAndComesBackEmptyOnTheSamePortAfterKill() throws IOException {
    try (RedisServer redis = RedisServer.start(tempDir.resolve("redis"))) {
      int port = redis.port();
      assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + port);
      assertThat(send(port, "PING")).isEqualTo("+PONG");
      assertThat(send(port, "SET edgeway:test 1")).isEqualTo("+OK");
      assertThat(send(port, "GET edgeway:test")).isEqualTo("$1");

      redis.kill();
      assertThat(redis.isRunning()).isFalse();
      assertThat(acceptsConnections(port)).isFalse();

      redis.restart();
      assertThat(redis.port()).isEqualTo(port);
      assertThat(send(port, "PING")).isEqualTo("+PONG");
      assertThat(send(port, "GET edgeway:test")).as("nothing persisted across a restart").isEqualTo("$-1");
    }
  }

  @Test
  void stopEndsTheServerAndStopAgainIsHarmless() throws IOException {
    RedisServer redis = RedisServer.start(tempDir.resolve("redis"));
    try {
      assertThat(send(redis.port(), "PING")).isEqualTo("+PONG");
      redis.stop();
      assertThat(redis.isRunning()).isFalse();
      assertThat(acceptsConnections(redis.port())).isFalse();
    } finally {
      redis.close();
    }
  }

  /** Sends one inline RESP command on a fresh connection and returns the first reply line. */
  private static String send(int port, String inlineCommand) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write((inlineCommand + "\r\n").getBytes(US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), US_ASCII));
      return in.readLine();
    }
  }

  private static boolean acceptsConnections(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }
}
