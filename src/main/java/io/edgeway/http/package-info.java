/**
 * HTTP edge hardening: pure checks and header edits the gateway applies to every request before
 * routing, and to every response before it leaves (security.md §2.A-2.D). Nothing here needs a
 * running server or blocks.
 *
 * <p>Intended order per request (why: each step must see what the previous one guarantees):
 *
 * <ol>
 *   <li>{@link io.edgeway.http.RequestFramingCheck#check} on what Vert.x parsed; a non-null
 *       {@link io.edgeway.http.EdgeRejection} is answered at once (close the connection when it
 *       says so).
 *   <li>{@link io.edgeway.http.RequestFramingCheck#dropUnderscoreHeaders} (D5).
 *   <li>{@link io.edgeway.http.PathCanonicalizer#canonicalize} on {@code request.path()}; the
 *       canonical path is used for routing, auth, rate-limit and cache keys <em>and</em> is what is
 *       forwarded (the query is forwarded untouched).
 *   <li>{@link io.edgeway.http.ClientIpResolver#resolve} on the original headers.
 *   <li>Request id ({@link io.edgeway.http.RequestIds}) and {@link io.edgeway.http.TraceContext}.
 *   <li>For the upstream request, on a copy of the headers:
 *       {@link io.edgeway.http.HopByHopHeaders#stripRequest} (or the WebSocket variant), then
 *       {@link io.edgeway.http.ForwardedHeaders#apply}.
 *   <li>On the upstream response: {@link io.edgeway.http.HopByHopHeaders#stripResponse}.
 * </ol>
 */
package io.edgeway.http;
