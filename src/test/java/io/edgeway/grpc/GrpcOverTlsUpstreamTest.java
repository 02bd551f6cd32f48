package io.edgeway.grpc;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.testing.TestCertificates;
import io.edgeway.testing.TestGateway;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * gRPC to a service reached with {@code protocol: h2}: grpc-java serves over TLS (its ALPN offers
 * h2), the gateway verifies it against a test CA; the client speaks h2c to the gateway. The
 * service records the TLS session of every call it got, so a call that reached it some other way
 * would show.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GrpcOverTlsUpstreamTest {
  private static Path dir;
  private static Vertx vertx;
  private static Server service;
  private static TestGateway gateway;
  private static ManagedChannel channel;
  private static final List<String> tlsSeen = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("grpc-tls");
    TestCertificates.Issued ca = TestCertificates.ca("gRPC CA");
    Path caFile = ca.writeCertificate(dir.resolve("ca.pem"));
    Path[] files = TestCertificates.leaf(ca, "EC", "localhost").write(dir, "service", true);
    // Records the TLS protocol each call arrived over (none: not TLS).
    ServerInterceptor recordTls = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        tlsSeen.add(session == null ? "none" : session.getProtocol());
        return next.startCall(call, headers);
      }
    };
    service = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .sslContext(GrpcSslContexts.forServer(files[0].toFile(), files[1].toFile()).build())
        .addService(ServerInterceptors.intercept(EchoService.definition(new AtomicInteger()), recordTls))
        .build().start();
    vertx = TestVertx.create();
    gateway = TestGateway.start(vertx, """
        server:
          host: 127.0.0.1
          port: 0
          instances: 1
          http2: { enabled: true }
        admin: { host: 127.0.0.1, port: 0 }
        routes:
          - id: echo
            match: { path: /test.Echo/** }
            upstream:
              protocol: h2
              targets: [ { url: "https://localhost:%d" } ]
              tls: { ca-file: "%s" }
        """.formatted(service.getPort(), caFile));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
    // A cold JVM on a shared machine takes seconds for the first call (class loading, the first
    // TLS handshake): made here, so the tests' deadlines measure only their own calls.
    ClientCalls.blockingUnaryCall(channel, EchoService.UNARY, deadline(30_000), "warm-up");
  }

  @AfterAll
  static void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (gateway != null) {
      gateway.close();
    }
    if (service != null) {
      service.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    Files.delete(dir);
  }

  private static CallOptions deadline(long millis) {
    return CallOptions.DEFAULT.withDeadlineAfter(millis, TimeUnit.MILLISECONDS);
  }

  @Test
  @DisplayName("unary call, and the service got it over TLS")
  void unary() {
    int before = tlsSeen.size();
    assertThat(ClientCalls.blockingUnaryCall(channel, EchoService.UNARY, deadline(5000), "hi")).isEqualTo("echo:hi");
    assertThat(tlsSeen.subList(before, tlsSeen.size())).hasSize(1).allSatisfy(p -> assertThat(p).startsWith("TLSv1."));
  }

  @Test
  @DisplayName("server streaming over TLS: 2000 messages in order")
  void serverStreaming() {
    Iterator<String> replies = ClientCalls.blockingServerStreamingCall(channel, EchoService.COUNT, deadline(10_000), "2000");
    List<String> all = new ArrayList<>();
    replies.forEachRemaining(all::add);
    assertThat(all).hasSize(2000);
    assertThat(all.get(1999)).isEqualTo("1999");
  }

  @Test
  @DisplayName("client streaming over TLS: about 1 MB, past the flow-control windows")
  void clientStreaming() throws Exception {
    CompletableFuture<String> result = new CompletableFuture<>();
    StreamObserver<String> requests = ClientCalls.asyncClientStreamingCall(
        channel.newCall(EchoService.CONCAT, deadline(20_000)), new StreamObserver<>() {
          @Override
          public void onNext(String value) {
            result.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            result.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {}
        });
    String chunk = "x".repeat(2000);
    for (int i = 0; i < 500; i++) {
      requests.onNext(chunk);
    }
    requests.onCompleted();
    assertThat(result.get(20, TimeUnit.SECONDS)).hasSize(500 * 2000);
  }

  @Test
  @DisplayName("bidirectional streaming over TLS: each message answered while the call stays open")
  void bidiStreaming() throws Exception {
    LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
    CountDownLatch done = new CountDownLatch(1);
    StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(
        channel.newCall(EchoService.CHAT, deadline(10_000)), new StreamObserver<>() {
          @Override
          public void onNext(String value) {
            replies.add(value);
          }

          @Override
          public void onError(Throwable t) {
            done.countDown();
          }

          @Override
          public void onCompleted() {
            done.countDown();
          }
        });
    for (String word : List.of("one", "two", "three")) {
      requests.onNext(word);
      assertThat(replies.poll(5, TimeUnit.SECONDS)).isEqualTo(word.toUpperCase());
    }
    requests.onCompleted();
    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
  }
}
