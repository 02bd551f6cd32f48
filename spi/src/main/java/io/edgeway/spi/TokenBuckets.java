package io.edgeway.spi;

import io.vertx.core.Future;

/**
 * Token buckets by key, kept by the gateway: the per-node store, or Redis when the gateway's
 * {@code rate-limit-store.redis} is configured, so that every gateway process sharing that Redis
 * shares the buckets. The same store the built-in {@code rate-limit} filter uses for
 * {@code scope: cluster}. Get it from {@link FilterContext#service(Class)} in
 * {@link GatewayFilterFactory#create}; it is always offered.
 *
 * <p>Buckets are namespaced by the filter's name: the same key in two different filters names two
 * different buckets, while every route using the same filter shares them (put the route id into the
 * key for per-route buckets). A bucket is also tied to its {@link BucketLimit}: calling with another
 * limit for the same key uses another bucket. An unused bucket is dropped once it would be full
 * again, so keys may be as many as clients (per node, at most 100,000 buckets are kept).
 *
 * <p>Never blocks: the answer completes on the caller's Vert.x context (the request's event loop).
 * Safe to call from any event loop concurrently.
 *
 * <p>During validation ({@code --check}, and the same step at start-up) filters get a view that
 * keeps its buckets in memory and opens no connection; those filters never serve a request.
 */
public interface TokenBuckets {

  /**
   * Takes {@code tokens} from the bucket {@code key}, if it holds that many.
   *
   * @param key the bucket, e.g. a client IP or an API key (any string; it is not logged)
   * @param limit the bucket's capacity and refill
   * @param tokens how many to take, from 1 to the limit's capacity
   * @return whether the tokens were taken, what is left, and how long until they would be. Fails
   *     with a {@link GatewayException} of status 503 and code {@code rate_limit_unavailable} when
   *     the shared store is unreachable, too slow, or skipped after repeated failures: the filter
   *     decides whether to let the request through or to answer with that failure
   * @throws IllegalArgumentException when {@code tokens} is out of range or an argument is null
   */
  Future<BucketDecision> tryConsume(String key, BucketLimit limit, long tokens);
}
