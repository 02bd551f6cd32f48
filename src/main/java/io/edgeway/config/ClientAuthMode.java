package io.edgeway.config;

/** Whether a TLS listener asks clients for a certificate ({@code client-auth}). */
public enum ClientAuthMode {
  /** No certificate is asked for. */
  NONE,
  /** Asked for and verified when sent; a client without one is still served (routes decide, {@code mtls}). */
  REQUEST,
  /** The handshake fails without a certificate the CA bundle verifies. */
  REQUIRE
}
