package io.edgeway.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gRPC service the end-to-end tests call through the gateway, without generated code: the
 * methods carry UTF-8 strings. Shared by the h2c ({@link GrpcEndToEndTest}) and TLS
 * ({@link GrpcOverTlsUpstreamTest}) variants.
 */
final class EchoService {
  private static final MethodDescriptor.Marshaller<String> UTF8 = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };
  static final MethodDescriptor<String, String> UNARY = method("test.Echo", "Unary", MethodDescriptor.MethodType.UNARY);
  static final MethodDescriptor<String, String> COUNT =
      method("test.Echo", "Count", MethodDescriptor.MethodType.SERVER_STREAMING);
  static final MethodDescriptor<String, String> CONCAT =
      method("test.Echo", "Concat", MethodDescriptor.MethodType.CLIENT_STREAMING);
  static final MethodDescriptor<String, String> CHAT = method("test.Echo", "Chat", MethodDescriptor.MethodType.BIDI_STREAMING);
  static final MethodDescriptor<String, String> HANG = method("test.Echo", "Hang", MethodDescriptor.MethodType.UNARY);

  private EchoService() {}

  static MethodDescriptor<String, String> method(String service, String name, MethodDescriptor.MethodType type) {
    return MethodDescriptor.<String, String>newBuilder()
        .setFullMethodName(MethodDescriptor.generateFullMethodName(service, name))
        .setType(type).setRequestMarshaller(UTF8).setResponseMarshaller(UTF8).build();
  }

  /**
   * Unary echo ("fail" answers NOT_FOUND), Count (server streaming), Concat (client streaming),
   * Chat (bidirectional, upper-cased), Hang (never answers; counts its cancellations).
   */
  static ServerServiceDefinition definition(AtomicInteger cancelledHangs) {
    return ServerServiceDefinition.builder("test.Echo")
        .addMethod(UNARY, ServerCalls.asyncUnaryCall((String request, StreamObserver<String> out) -> {
          if (request.equals("fail")) {
            out.onError(Status.NOT_FOUND.withDescription("no such thing: ü").asRuntimeException());
            return;
          }
          out.onNext("echo:" + request);
          out.onCompleted();
        }))
        .addMethod(COUNT, ServerCalls.asyncServerStreamingCall((String request, StreamObserver<String> out) -> {
          for (int i = 0; i < Integer.parseInt(request); i++) {
            out.onNext(Integer.toString(i));
          }
          out.onCompleted();
        }))
        .addMethod(CONCAT, ServerCalls.asyncClientStreamingCall(out -> new StreamObserver<String>() {
          private final StringBuilder all = new StringBuilder();

          @Override
          public void onNext(String value) {
            all.append(value);
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {
            out.onNext(all.toString());
            out.onCompleted();
          }
        }))
        .addMethod(CHAT, ServerCalls.asyncBidiStreamingCall(out -> new StreamObserver<String>() {
          @Override
          public void onNext(String value) {
            out.onNext(value.toUpperCase());
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {
            out.onCompleted();
          }
        }))
        .addMethod(HANG, ServerCalls.asyncUnaryCall((String request, StreamObserver<String> out) ->
            // Never answers; counts the cancellation that the client's deadline must cause.
            io.grpc.Context.current().addListener(context -> cancelledHangs.incrementAndGet(), Runnable::run)))
        .build();
  }
}
