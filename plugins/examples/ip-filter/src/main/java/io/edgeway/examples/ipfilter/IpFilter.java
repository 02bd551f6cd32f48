package io.edgeway.examples.ipfilter;

import io.edgeway.spi.Exchange;
import io.edgeway.spi.FilterChain;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayResponse;
import io.vertx.core.Future;

/** One route's ip-filter: immutable, shared by every event loop. */
final class IpFilter implements GatewayFilter {
  static final String CODE = "ip_denied";

  private final CidrSet allow;
  private final CidrSet deny;
  private final int status;

  IpFilter(CidrSet allow, CidrSet deny, int status) {
    this.allow = allow;
    this.deny = deny;
    this.status = status;
  }

  @Override
  public Future<GatewayResponse> filter(Exchange exchange, FilterChain chain) {
    if (permits(exchange.request().clientIp())) {
      return chain.proceed(exchange);
    }
    // The title names no address: the client knows its own, and the log has it.
    return Future.succeededFuture(exchange.problem(status, CODE, "Client address not allowed"));
  }

  boolean permits(String clientIp) {
    if (clientIp == null) {
      return false;
    }
    long v4 = IpAddressText.parseIpv4(clientIp, 0, clientIp.length());
    if (v4 != IpAddressText.NOT_IPV4) {
      return permitsIpv4(v4);
    }
    long[] v6 = new long[2];
    if (!IpAddressText.parseIpv6(clientIp, true, v6)) {
      // Fails closed: an address this filter cannot read can match neither list, and letting it
      // through would turn a deny list into a suggestion.
      return false;
    }
    if (IpAddressText.isIpv4Mapped(v6[0], v6[1])) {
      return permitsIpv4(v6[1] & 0xffff_ffffL);
    }
    return !deny.containsIpv6(v6[0], v6[1]) && (allow.isEmpty() || allow.containsIpv6(v6[0], v6[1]));
  }

  private boolean permitsIpv4(long address) {
    return !deny.containsIpv4(address) && (allow.isEmpty() || allow.containsIpv4(address));
  }
}
