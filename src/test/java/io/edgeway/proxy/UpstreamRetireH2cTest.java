package io.edgeway.proxy;

/**
 * {@link UpstreamRetireTest} over h2c ({@link MultiplexedPool}): a retired pool hands no new stream
 * to an idle connection, closes connections as their last stream ends, and counts them in
 * {@link UpstreamResources} as the HTTP/1.1 pool does.
 */
class UpstreamRetireH2cTest extends UpstreamRetireTest {
  @Override
  boolean h2c() {
    return true;
  }
}
