package io.edgeway.server;

import io.edgeway.config.Http2Config;
import io.netty.channel.Channel;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP/2 on the listener: the {@code server.http2} settings applied to Vert.x, and the refusal of
 * the h2c upgrade.
 *
 * <p>What protects against the HTTP/2 attacks (docs/security.md): rapid reset and MadeYouReset
 * by Vert.x's RST counter on both directions (GOAWAY past {@code max-resets-per-window});
 * CONTINUATION floods by Netty's count of small CONTINUATION frames and the header list size;
 * HPACK bombs by {@code max-header-list-size} on the decoded block and the dynamic table size;
 * ping and settings floods by Netty's bound on queued control frames (10,000 unanswered PING or
 * SETTINGS acks, then GOAWAY) — not configurable through Vert.x, so fixed.
 */
final class Http2Listener {
  private static final Logger log = LoggerFactory.getLogger(Http2Listener.class);

  private Http2Listener() {}

  static void configure(HttpServerOptions options, Http2Config http2) {
    options.setInitialSettings(new Http2Settings()
            .setMaxConcurrentStreams(http2.maxConcurrentStreams())
            .setMaxHeaderListSize(http2.maxHeaderListSize().bytes())
            .setHeaderTableSize(http2.headerTableSize().bytes())
            .setInitialWindowSize((int) http2.initialWindowSize().bytes())
            .setMaxFrameSize((int) http2.maxFrameSize().bytes())
            .setPushEnabled(false))
        .setHttp2ConnectionWindowSize((int) http2.connectionWindowSize().bytes())
        .setHttp2RstFloodMaxRstFramePerWindow(http2.maxResetsPerWindow())
        .setHttp2RstFloodWindowDuration((int) http2.resetWindow().toSeconds())
        .setHttp2RstFloodWindowDurationTimeUnit(TimeUnit.SECONDS)
        .setHttp2MaxSmallContinuationFrames(http2.maxSmallContinuationFrames());
  }

  /**
   * True when {@code connection} is HTTP/2 reached through {@code Upgrade: h2c}. Vert.x offers no
   * switch to accept prior knowledge but refuse the upgrade, and it runs the upgrade before any
   * request reaches the gateway; the one trace is its HTTP/1 decoder and upgrade handler, still
   * in the pipeline while the upgraded connection announces itself. (Vert.x internals: the
   * h2c tests fail if a Vert.x upgrade changes them.)
   */
  static boolean upgradedFromHttp1(HttpConnection connection) {
    if (!(connection instanceof ConnectionBase base) || connection.protocolVersion() != HttpVersion.HTTP_2) {
      return false;
    }
    Channel channel = base.channel();
    return channel.pipeline().get("httpDecoder") != null || channel.pipeline().get("h2c") != null;
  }

  /**
   * Closes at the socket, below the HTTP/2 handler (which would flush a GOAWAY, and the 101 with
   * it): what Vert.x queued is dropped, and the usual close events still run.
   */
  static void abort(HttpConnection connection) {
    log.debug("h2c upgrade refused from {}", connection.remoteAddress());
    Channel channel = ((ConnectionBase) connection).channel();
    channel.config().setAutoRead(false);
    channel.unsafe().close(channel.voidPromise());
  }
}
