package io.edgeway.runtime;

import static java.util.Objects.requireNonNull;

import io.edgeway.config.ServerTransport;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Picks the event loops' I/O transport for {@code server.transport}, before Vert.x starts. The
 * native transports cost less CPU per request than Java NIO (fewer copies and system calls per
 * read and write); which ones a machine offers depends on its kernel and on policy (io_uring is
 * often disabled in containers), so {@code auto} tries them in order of speed and says why it
 * passed over the faster ones. A transport named explicitly must be there: start-up fails
 * otherwise, rather than run slower than the operator asked.
 */
public final class EventLoopTransport {

  /** The transport chosen, and a line for the start-up log saying which and why. */
  public record Choice(Transport transport, String description) {
    public Choice {
      requireNonNull(transport, "transport");
      requireNonNull(description, "description");
    }

    /** A Vert.x instance with {@code options} whose event loops run on this transport. */
    public Vertx vertx(VertxOptions options) {
      return Vertx.builder().with(options).withTransport(transport).build();
    }
  }

  /**
   * {@code auto}'s order, fastest first: on the same gateway and load, io_uring spent 24-32 CPU
   * µs per request, epoll 39-42 and NIO about 60 (loadtest/RESULTS.md, 2026-12-03).
   */
  static final List<ServerTransport> AUTO_ORDER = List.of(ServerTransport.IO_URING, ServerTransport.EPOLL,
      ServerTransport.NIO);

  private EventLoopTransport() {}

  /** The choice for {@code wanted} among the transports on this class path and kernel. */
  public static Choice choose(ServerTransport wanted) {
    return choose(wanted, EventLoopTransport::vertxTransport);
  }

  static Choice choose(ServerTransport wanted, Function<ServerTransport, Transport> lookup) {
    requireNonNull(wanted, "wanted");
    if (wanted != ServerTransport.AUTO) {
      Transport transport = lookup.apply(wanted);
      if (transport == null || !transport.available()) {
        throw new IllegalStateException("server.transport: " + name(wanted) + " (unavailable here: "
            + whyUnavailable(transport) + "; expected: auto, or a transport this machine offers)");
      }
      return new Choice(transport, name(wanted) + " (server.transport: " + name(wanted) + ")");
    }
    List<String> passedOver = new ArrayList<>();
    for (ServerTransport candidate : AUTO_ORDER) {
      Transport transport = lookup.apply(candidate);
      if (transport != null && transport.available()) {
        String why = passedOver.isEmpty() ? "" : "; " + String.join("; ", passedOver);
        return new Choice(transport, name(candidate) + " (server.transport: auto" + why + ")");
      }
      passedOver.add(name(candidate) + " unavailable: " + whyUnavailable(transport));
    }
    throw new IllegalStateException("no I/O transport is available: " + String.join("; ", passedOver));
  }

  private static Transport vertxTransport(ServerTransport kind) {
    return switch (kind) {
      case IO_URING -> Transport.IO_URING;
      case EPOLL -> Transport.EPOLL;
      case NIO -> Transport.NIO;
      case AUTO -> throw new IllegalArgumentException("auto is a choice, not a transport");
    };
  }

  private static String whyUnavailable(Transport transport) {
    if (transport == null) {
      return "not on the class path";
    }
    Throwable cause = transport.unavailabilityCause();
    while (cause != null && cause.getCause() != null && cause.getMessage() == null) {
      cause = cause.getCause();
    }
    return cause == null ? "unknown reason" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }

  private static String name(ServerTransport kind) {
    return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
