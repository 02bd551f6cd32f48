package io.edgeway.config;

/**
 * The PROXY protocol header a listener expects in front of each connection, from an L4 load
 * balancer. Netty's decoder detects the version from the first bytes, so either value accepts both
 * versions; the setting says what the balancer is configured to send (and documents it).
 */
public enum ProxyProtocol {
  /** The text header ({@code PROXY TCP4 ...}). */
  V1,
  /** The binary header. */
  V2
}
