package io.edgeway.config;

/** How an upstream picks a target; written {@code round-robin}, {@code least-requests}, {@code consistent-hash}. */
public enum LoadBalancing {
  ROUND_ROBIN,
  LEAST_REQUESTS,
  CONSISTENT_HASH
}
