package io.edgeway.config;

/**
 * The I/O transport of the event loops ({@code server.transport}). {@code auto} takes the best
 * one this machine offers and logs which, and why the better ones were not available.
 */
public enum ServerTransport {
  /** io_uring where the kernel allows it, else epoll, else Java NIO. */
  AUTO,
  /** Linux io_uring (kernel 5.14 or later, not disabled by {@code kernel.io_uring_disabled}). */
  IO_URING,
  /** Linux epoll through Netty's native transport. */
  EPOLL,
  /** Java NIO: every platform, the slowest. */
  NIO
}
