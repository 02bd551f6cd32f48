package io.edgeway.http;

/**
 * What a request's {@code Upgrade} header asks for, as far as the edge cares. Only WebSocket
 * routes may honour {@link #WEBSOCKET}; everything else is refused or handled as plain HTTP by
 * the caller, per route.
 */
public enum UpgradeKind {
  /** No {@code Upgrade} header. */
  NONE,
  /** {@code Upgrade: websocket} together with {@code Connection: upgrade}. */
  WEBSOCKET,
  /** Any other upgrade (or a websocket upgrade without {@code Connection: upgrade}). */
  OTHER
}
