package io.edgeway.examples.ipfilter;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code ip-filter}'s configuration:
 *
 * <pre>{@code
 * - ip-filter:
 *     allow: [10.0.0.0/8, 2001:db8::/32]   # when non-empty, every other client is denied
 *     deny: [10.6.6.0/24]                   # wins over allow
 *     status: 403                           # 400..499, default 403
 * }</pre>
 *
 * @param allow CIDR blocks (or single addresses) allowed; empty allows every address not denied
 * @param deny CIDR blocks (or single addresses) denied, whatever allow says
 * @param status the status of a refusal, 400..499
 */
public record IpFilterConfig(List<String> allow, List<String> deny, Integer status) {

  /** Applies the defaults and validates every block, so a bad one is reported with its index. */
  public IpFilterConfig {
    allow = allow == null ? List.of() : List.copyOf(allow);
    deny = deny == null ? List.of() : List.copyOf(deny);
    parseAll("allow", allow);
    parseAll("deny", deny);
    if (allow.isEmpty() && deny.isEmpty()) {
      throw new IllegalArgumentException("allow: [] (expected: at least one CIDR in allow or deny)");
    }
    status = status == null ? 403 : status;
    if (status < 400 || status > 499) {
      throw new IllegalArgumentException("status: " + status + " (expected: 400..499)");
    }
  }

  /** The allow list, parsed. */
  List<Cidr> allowBlocks() {
    return parseAll("allow", allow);
  }

  /** The deny list, parsed. */
  List<Cidr> denyBlocks() {
    return parseAll("deny", deny);
  }

  private static List<Cidr> parseAll(String key, List<String> texts) {
    List<Cidr> blocks = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      try {
        blocks.add(Cidr.parse(texts.get(i)));
      } catch (IllegalArgumentException e) {
        // "allow[1]: ..." places the gateway's error at that list item, with its line and column.
        throw new IllegalArgumentException(key + "[" + i + "]: " + e.getMessage(), e);
      }
    }
    return blocks;
  }
}
