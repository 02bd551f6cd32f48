package com.example.edgeway;

import io.edgeway.spi.FilterContext;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayFilterFactory;
import io.edgeway.spi.Stage;
import java.util.List;
import java.util.Locale;

/** Refuses requests whose User-Agent contains one of the configured words. */
public final class UserAgentBlockFactory implements GatewayFilterFactory<UserAgentBlockFactory.Config> {

  /**
   * {@code - user-agent-block: { words: [sqlmap, nikto], status: 403 }}
   *
   * @param words case-insensitive words to look for; at least one
   * @param status the refusal's status, 400..499; 403 when absent
   */
  public record Config(List<String> words, Integer status) {
    public Config {
      if (words == null || words.isEmpty()) {
        throw new IllegalArgumentException("words: [] (expected: at least one word)");
      }
      words = words.stream().map(w -> w.toLowerCase(Locale.ROOT)).toList();
      status = status == null ? 403 : status;
      if (status < 400 || status > 499) {
        throw new IllegalArgumentException("status: " + status + " (expected: 400..499)");
      }
    }
  }

  @Override
  public String name() {
    return "user-agent-block";
  }

  @Override
  public Stage stage() {
    return Stage.EDGE;
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public GatewayFilter create(Config config, FilterContext context) {
    return new UserAgentBlockFilter(config.words(), config.status());
  }
}
