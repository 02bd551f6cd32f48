package io.edgeway.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeway.config.ServerTransport;
import io.vertx.core.Vertx;
import io.vertx.core.transport.Transport;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventLoopTransportTest {

  /** A transport as Vert.x describes one: available, or not with a cause. */
  private record FakeTransport(String name, Throwable unavailabilityCause) implements Transport {
    @Override
    public boolean available() {
      return unavailabilityCause == null;
    }

    @Override
    public io.vertx.core.spi.transport.Transport implementation() {
      throw new UnsupportedOperationException();
    }
  }

  private static final Transport EPOLL = new FakeTransport("epoll", null);
  private static final Transport IO_URING = new FakeTransport("io_uring", null);
  private static final Transport NIO = new FakeTransport("nio", null);

  @Test
  void autoTakesTheFirstAvailableInItsOrderAndSaysWhyItPassedOverTheOthers() {
    Map<ServerTransport, Transport> machine = Map.of(
        ServerTransport.IO_URING, new FakeTransport("io_uring", new IllegalStateException("kernel.io_uring_disabled is 2")),
        ServerTransport.EPOLL, EPOLL, ServerTransport.NIO, NIO);

    EventLoopTransport.Choice choice = EventLoopTransport.choose(ServerTransport.AUTO, machine::get);

    assertThat(choice.transport()).isSameAs(EPOLL);
    assertThat(choice.description()).isEqualTo(
        "epoll (server.transport: auto; io-uring unavailable: IllegalStateException: kernel.io_uring_disabled is 2)");
  }

  @Test
  void autoPrefersIoUringToEpollWhereTheKernelAllowsIt() {
    Map<ServerTransport, Transport> machine = Map.of(ServerTransport.IO_URING, IO_URING, ServerTransport.EPOLL, EPOLL,
        ServerTransport.NIO, NIO);

    EventLoopTransport.Choice choice = EventLoopTransport.choose(ServerTransport.AUTO, machine::get);

    assertThat(choice.transport()).isSameAs(IO_URING);
    assertThat(choice.description()).isEqualTo("io-uring (server.transport: auto)");
  }

  @Test
  void autoFallsBackToNioWhenNoNativeTransportIsOnTheClassPath() {
    Map<ServerTransport, Transport> machine = Map.of(ServerTransport.NIO, NIO);

    EventLoopTransport.Choice choice = EventLoopTransport.choose(ServerTransport.AUTO, machine::get);

    assertThat(choice.transport()).isSameAs(NIO);
    assertThat(choice.description()).isEqualTo("nio (server.transport: auto; io-uring unavailable: not on the "
        + "class path; epoll unavailable: not on the class path)");
  }

  @Test
  void anExplicitTransportIsTakenAsNamedEvenWhenAFasterOneIsThere() {
    Map<ServerTransport, Transport> machine = Map.of(ServerTransport.EPOLL, EPOLL, ServerTransport.NIO, NIO);

    assertThat(EventLoopTransport.choose(ServerTransport.NIO, machine::get).transport()).isSameAs(NIO);
  }

  @Test
  void anExplicitTransportThisMachineLacksFailsStartUpNamingTheKeyAndTheCause() {
    Map<ServerTransport, Transport> machine = Map.of(
        ServerTransport.IO_URING, new FakeTransport("io_uring",
            new IllegalStateException("kernel.io_uring_disabled is 2")),
        ServerTransport.NIO, NIO);

    assertThatThrownBy(() -> EventLoopTransport.choose(ServerTransport.IO_URING, machine::get))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("server.transport: io-uring (unavailable here: IllegalStateException: kernel.io_uring_disabled "
            + "is 2; expected: auto, or a transport this machine offers)");
  }

  @Test
  void theShippedClassPathOffersANativeTransportOnLinuxAndVertxRunsOnIt() {
    EventLoopTransport.Choice choice = EventLoopTransport.choose(ServerTransport.AUTO);
    if (System.getProperty("os.name").startsWith("Linux")) {
      // The gateway ships Netty's io_uring and epoll natives for x86_64 and aarch64.
      assertThat(choice.transport()).isIn(Transport.EPOLL, Transport.IO_URING);
    }
    Vertx vertx = Vertx.builder().withTransport(choice.transport()).build();
    try {
      assertThat(vertx.isNativeTransportEnabled()).isEqualTo(choice.transport() != Transport.NIO);
    } finally {
      vertx.close().await();
    }
  }
}
