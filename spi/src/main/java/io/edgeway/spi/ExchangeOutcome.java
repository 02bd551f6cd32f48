package io.edgeway.spi;

/**
 * How a request ended, handed to {@link Exchange#onComplete} listeners once the response was
 * written or the client went away.
 *
 * @param status the status sent to the client (or that would have been sent, if it went away)
 * @param errorCode the gateway's error code when the gateway answered with an error, else null
 * @param bytesIn request body bytes read from the client
 * @param bytesOut response body bytes written to the client
 * @param totalNanos time from the request's arrival to the end of the response
 * @param clientAborted true when the client closed the connection before the response ended
 */
public record ExchangeOutcome(
    int status, String errorCode, long bytesIn, long bytesOut, long totalNanos, boolean clientAborted) {}
