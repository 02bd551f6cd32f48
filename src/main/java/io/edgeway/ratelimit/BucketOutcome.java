package io.edgeway.ratelimit;

/**
 * What one bucket said about one request.
 *
 * @param consumed true when the tokens were taken (the request is allowed)
 * @param available tokens left afterwards, one entry per configured limit, in config order
 * @param nanosToWait when not consumed: time until the request's tokens will be there
 */
record BucketOutcome(boolean consumed, long[] available, long nanosToWait) {}
