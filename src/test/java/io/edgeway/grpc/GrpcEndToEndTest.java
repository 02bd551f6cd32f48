package io.edgeway.grpc;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeway.testing.TestGateway;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * gRPC through the gateway with grpc-java on both sides (h2c client, h2c upstream), without
 * generated code: the methods carry UTF-8 strings. Unary, the three streaming kinds, an error
 * status and deadlines relayed, and the gateway's own rejections answered as gRPC status.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GrpcEndToEndTest {
  private static final MethodDescriptor<String, String> SECURED = EchoService.method("test.Secured", "Unary", MethodDescriptor.MethodType.UNARY);
  private static final MethodDescriptor<String, String> DOWN = EchoService.method("test.Down", "Unary", MethodDescriptor.MethodType.UNARY);
  private static final MethodDescriptor<String, String> NOWHERE = EchoService.method("test.Nowhere", "Unary", MethodDescriptor.MethodType.UNARY);

  private static Vertx vertx;
  private static Server service;
  private static TestGateway gateway;
  private static ManagedChannel channel;
  private static final AtomicInteger cancelledHangs = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    ServerServiceDefinition echo = EchoService.definition(cancelledHangs);
    service = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(echo).build().start();
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
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
            upstream: { protocol: h2c, targets: [ { url: "http://127.0.0.1:%1$d" } ] }
          - id: secured
            match: { path: /test.Secured/** }
            upstream: { protocol: h2c, targets: [ { url: "http://127.0.0.1:%1$d" } ] }
            filters:
              - api-key: { keys: { app: "app-key-0123456789abcdef" } }
          - id: down
            match: { path: /test.Down/** }
            upstream: { protocol: h2c, targets: [ { url: "http://127.0.0.1:%2$d" } ] }
        """.formatted(service.getPort(), closedPort));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
    // A cold JVM on a shared machine takes seconds for the first call (class loading on both
    // sides): made here, so the tests' deadlines measure only their own calls.
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
  }

  private static CallOptions deadline(long millis) {
    return CallOptions.DEFAULT.withDeadlineAfter(millis, TimeUnit.MILLISECONDS);
  }

  private static Status statusOf(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    }
    throw new AssertionError("the call succeeded");
  }

  @Test
  @DisplayName("unary call through the gateway")
  void unary() {
    assertThat(ClientCalls.blockingUnaryCall(channel, EchoService.UNARY, deadline(5000), "hi")).isEqualTo("echo:hi");
  }

  @Test
  @DisplayName("the service's error status and message (trailers) reach the client unchanged")
  void errorStatusRelayed() {
    Status status = statusOf(() -> ClientCalls.blockingUnaryCall(channel, EchoService.UNARY, deadline(5000), "fail"));
    assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(status.getDescription()).isEqualTo("no such thing: ü");
  }

  @Test
  @DisplayName("server streaming: 2000 messages in order")
  void serverStreaming() {
    Iterator<String> replies = ClientCalls.blockingServerStreamingCall(channel, EchoService.COUNT, deadline(10_000), "2000");
    List<String> all = new ArrayList<>();
    replies.forEachRemaining(all::add);
    assertThat(all).hasSize(2000);
    assertThat(all.get(1999)).isEqualTo("1999");
  }

  @Test
  @DisplayName("client streaming: 500 messages (about 1 MB, past the flow-control windows) concatenated")
  void clientStreaming() throws Exception {
    CompletableFuture<String> result = new CompletableFuture<>();
    StreamObserver<String> requests = ClientCalls.asyncClientStreamingCall(
        channel.newCall(EchoService.CONCAT, deadline(20_000)), observer(result));
    String chunk = "x".repeat(2000);
    for (int i = 0; i < 500; i++) {
      requests.onNext(chunk);
    }
    requests.onCompleted();
    assertThat(result.get(20, TimeUnit.SECONDS)).hasSize(500 * 2000);
  }

  @Test
  @DisplayName("bidirectional streaming: each message answered while the call stays open")
  void bidiStreaming() throws Exception {
    LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
    CountDownLatch done = new CountDownLatch(1);
    StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(channel.newCall(EchoService.CHAT, deadline(10_000)),
        new StreamObserver<>() {
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
      // The answer to each message arrives before the next is sent: nothing waits for the end.
      assertThat(replies.poll(5, TimeUnit.SECONDS)).isEqualTo(word.toUpperCase());
    }
    requests.onCompleted();
    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  @DisplayName("deadline: DEADLINE_EXCEEDED for the client, and the service's call is cancelled")
  void deadlineRespected() {
    int before = cancelledHangs.get();
    Status status = statusOf(() -> ClientCalls.blockingUnaryCall(channel, EchoService.HANG, deadline(500), "wait"));
    assertThat(status.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (cancelledHangs.get() == before && System.nanoTime() < until) {
      Thread.onSpinWait();
    }
    assertThat(cancelledHangs.get()).as("the upstream call was cancelled").isGreaterThan(before);
  }

  @Test
  @DisplayName("gateway rejections as gRPC status: 401 UNAUTHENTICATED, 404 UNIMPLEMENTED, unreachable UNAVAILABLE")
  void gatewayRejectionsAsGrpcStatus() {
    Status unauthenticated = statusOf(() -> ClientCalls.blockingUnaryCall(channel, SECURED, deadline(5000), "x"));
    assertThat(unauthenticated.getCode()).as("%s", unauthenticated).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(unauthenticated.getDescription()).contains("HTTP 401");

    Metadata key = new Metadata();
    key.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), "app-key-0123456789abcdef");
    io.grpc.Channel withKey = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(key));
    Status fromService = statusOf(() -> ClientCalls.blockingUnaryCall(withKey, SECURED, deadline(5000), "x"));
    assertThat(fromService.getCode()).as("admitted: the service itself answers").isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(fromService.getDescription()).doesNotContain("edgeway");

    Status noRoute = statusOf(() -> ClientCalls.blockingUnaryCall(channel, NOWHERE, deadline(5000), "x"));
    assertThat(noRoute.getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(noRoute.getDescription()).contains("no_route");

    Status down = statusOf(() -> ClientCalls.blockingUnaryCall(channel, DOWN, deadline(5000), "x"));
    assertThat(down.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(down.getDescription()).contains("HTTP 502");
  }

  private static <T> StreamObserver<T> observer(CompletableFuture<T> result) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        result.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        result.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {}
    };
  }
}
