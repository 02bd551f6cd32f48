package io.edgeway.auth;

import io.edgeway.spi.Exchange;
import io.edgeway.spi.FilterChain;
import io.edgeway.spi.FilterContext;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayFilterFactory;
import io.edgeway.spi.GatewayResponse;
import io.edgeway.spi.Stage;
import io.edgeway.spi.StandardAttributes;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * {@code api-key}: authenticates a request by a static key in a header. The key is compared with
 * every configured key in constant time (SHA-256 digests compared with
 * {@link MessageDigest#isEqual}, all keys always checked); the matching key's name becomes the
 * consumer identity. The key header is removed before forwarding.
 */
public final class ApiKeyFilterFactory implements GatewayFilterFactory<ApiKeyConfig> {

  @Override
  public String name() {
    return "api-key";
  }

  @Override
  public Stage stage() {
    return Stage.AUTHN;
  }

  @Override
  public Class<ApiKeyConfig> configType() {
    return ApiKeyConfig.class;
  }

  @Override
  public GatewayFilter create(ApiKeyConfig config, FilterContext context) {
    return new ApiKeyFilter(config);
  }

  static final class ApiKeyFilter implements GatewayFilter {
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(ApiKeyFilter::sha256);

    private final String header;
    private final String consumerHeader;
    private final String[] names;
    private final byte[][] digests;
    private final String challenge;

    ApiKeyFilter(ApiKeyConfig config) {
      this.header = config.header();
      this.consumerHeader = config.consumerHeader();
      this.names = config.keys().keySet().stream().sorted().toArray(String[]::new);
      this.digests = new byte[names.length][];
      MessageDigest digest = sha256();
      for (int i = 0; i < names.length; i++) {
        digests[i] = digest.digest(config.keys().get(names[i]).getBytes(StandardCharsets.UTF_8));
      }
      this.challenge = "ApiKey realm=\"" + config.realm() + "\", header=\"" + header + "\"";
    }

    @Override
    public Future<GatewayResponse> filter(Exchange exchange, FilterChain chain) {
      MultiMap headers = exchange.request().headers();
      if (consumerHeader != null) {
        headers.remove(consumerHeader);
      }
      List<String> values = headers.getAll(header);
      if (values.size() > 1) {
        return reject(exchange, 400, "ambiguous_api_key", "The request carries more than one API key");
      }
      if (values.isEmpty() || values.get(0).isEmpty()) {
        return reject(exchange, 401, "missing_api_key", "An API key is required");
      }
      byte[] presented = SHA256.get().digest(values.get(0).trim().getBytes(StandardCharsets.UTF_8));
      int match = -1;
      for (int i = 0; i < digests.length; i++) {
        // No early exit: the time taken does not depend on which key (if any) matched.
        if (MessageDigest.isEqual(presented, digests[i]) && match < 0) {
          match = i;
        }
      }
      if (match < 0) {
        return reject(exchange, 401, "invalid_api_key", "The API key is not valid");
      }
      headers.remove(header);
      exchange.put(StandardAttributes.CONSUMER, names[match]);
      if (consumerHeader != null) {
        headers.set(consumerHeader, names[match]);
      }
      return chain.proceed(exchange);
    }

    private Future<GatewayResponse> reject(Exchange exchange, int status, String code, String title) {
      GatewayResponse response = exchange.problem(status, code, title);
      response.headers().set("WWW-Authenticate", challenge);
      return Future.succeededFuture(response);
    }

    private static MessageDigest sha256() {
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

  }
}
