package io.edgeway.examples.ipfilter;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayResponse;
import io.edgeway.testkit.Await;
import io.edgeway.testkit.ScriptedChain;
import io.edgeway.testkit.TestExchange;
import io.edgeway.testkit.TestFilterContext;
import io.edgeway.testkit.TestRequest;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The filter's decision per client address, table-driven, through the test kit's exchange and chain. */
class IpFilterTest {

  /**
   * Columns: allow list, deny list (blocks separated by spaces, '-' for none), client IP, whether the
   * request reaches the upstream.
   */
  @ParameterizedTest(name = "allow [{0}] deny [{1}] client {2} -> passes: {3}")
  @CsvSource(delimiter = '|', textBlock = """
      # IPv4 allow list: anything not allowed is denied
      10.0.0.0/8                 | -                 | 10.1.2.3                    | true
      10.0.0.0/8                 | -                 | 11.0.0.1                    | false
      10.0.0.0/8                 | -                 | 9.255.255.255               | false
      10.0.0.0/8                 | -                 | 10.255.255.255              | true
      192.0.2.7                  | -                 | 192.0.2.7                   | true
      192.0.2.7/32               | -                 | 192.0.2.8                   | false
      # /0 allows every IPv4 address, but not IPv6 ones (an IPv4 block says nothing about them)
      0.0.0.0/0                  | -                 | 203.0.113.9                 | true
      0.0.0.0/0                  | -                 | 2001:db8::1                 | false
      # deny list only: everything else passes
      -                          | 10.6.6.0/24       | 10.6.6.6                    | false
      -                          | 10.6.6.0/24       | 10.6.7.1                    | true
      -                          | 10.6.6.0/24       | 2001:db8::1                 | true
      # deny wins over allow
      10.0.0.0/8                 | 10.6.6.0/24       | 10.6.6.1                    | false
      10.0.0.0/8                 | 10.6.6.0/24       | 10.6.5.1                    | true
      ::/0                       | 2001:db8:bad::/48 | 2001:db8:bad:1::1           | false
      # IPv6
      2001:db8::/32              | -                 | 2001:db8:ffff:1::42         | true
      2001:db8::/32              | -                 | 2001:db9::1                 | false
      2001:db8::/32              | -                 | 10.0.0.1                    | false
      ::1/128                    | -                 | ::1                         | true
      ::1/128                    | -                 | 0:0:0:0:0:0:0:1             | true
      ::1/128                    | -                 | ::2                         | false
      2001:db8::1                | -                 | 2001:DB8:0:0:0:0:0:1        | true
      fe80::/10                  | -                 | fe80::1%eth0                | true
      2001:db8::/32              | -                 | [2001:db8::5]               | true
      ::/0                       | -                 | 2001:db8::5                 | true
      # IPv4-mapped client addresses match IPv4 rules
      10.0.0.0/8                 | -                 | ::ffff:10.1.2.3             | true
      10.0.0.0/8                 | -                 | ::ffff:0a01:0203            | true
      -                          | 10.0.0.0/8        | ::FFFF:10.1.2.3             | false
      10.0.0.0/8                 | -                 | ::ffff:11.1.2.3             | false
      # ...and IPv4-mapped rules are IPv4 rules
      ::ffff:10.0.0.0/104        | -                 | 10.20.30.40                 | true
      ::ffff:10.0.0.0/104        | -                 | 11.20.30.40                 | false
      ::ffff:0:0/96              | -                 | 198.51.100.1                | true
      # an IPv6 block that covers ::ffff:0:0/96 covers IPv4 clients too
      ::/0                       | -                 | 198.51.100.1                | true
      -                          | ::/0              | 198.51.100.1                | false
      2001:db8::/32              | -                 | ::ffff:10.1.2.3             | false
      # unreadable addresses fail closed, on either list
      10.0.0.0/8                 | -                 | 010.1.2.3                   | false
      -                          | 10.6.6.0/24       | not-an-ip                   | false
      -                          | 10.6.6.0/24       | 10.1.2                      | false
      -                          | 10.6.6.0/24       | 1:2:3:4:5:6:7:8:9           | false
      -                          | 10.6.6.0/24       | 1::2::3                     | false
      """)
  void decides(String allow, String deny, String clientIp, boolean passes) {
    GatewayFilter filter = new IpFilterFactory().create(new IpFilterConfig(blocks(allow), blocks(deny), null),
        TestFilterContext.forRoute("r"));
    TestExchange exchange = TestExchange.of(TestRequest.get("/x").clientIp(clientIp)).routeId("r");
    ScriptedChain chain = ScriptedChain.respond(200);

    GatewayResponse response = Await.result(filter.filter(exchange, chain));

    assertThat(chain.calls()).isEqualTo(passes ? 1 : 0);
    assertThat(response.status()).isEqualTo(passes ? 200 : 403);
  }

  @Test
  void aRefusalIsAProblemWithTheConfiguredStatusAndTheStableCode() {
    GatewayFilter filter = new IpFilterFactory().create(new IpFilterConfig(null, List.of("10.0.0.0/8"), 451),
        TestFilterContext.forRoute("orders"));
    TestExchange exchange = TestExchange.of(TestRequest.get("/x").clientIp("10.1.1.1")).routeId("orders");

    GatewayResponse response = Await.result(filter.filter(exchange, ScriptedChain.respond(200)));

    assertThat(response.status()).isEqualTo(451);
    assertThat(response.headers().get("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.body().buffer().toString())
        .contains("\"code\":\"ip_denied\"", "\"status\":451", "\"route\":\"orders\"", "\"requestId\":\"test-request-id\"")
        .doesNotContain("10.1.1.1");
  }

  private static List<String> blocks(String column) {
    return column.equals("-") ? null : Arrays.asList(column.trim().split("\\s+"));
  }
}
