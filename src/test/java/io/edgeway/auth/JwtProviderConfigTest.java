package io.edgeway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeway.config.ConfigException;
import io.edgeway.config.ConfigLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Validation of jwt-providers entries, also through the real config loader (positions). */
class JwtProviderConfigTest {

  static JwtProviderConfig config(List<String> algs, String secret, String pem, String jwksFile, String url) {
    return new JwtProviderConfig("iss", null, algs, secret, pem, jwksFile, url, null, null, null, null, null, null,
        null, null);
  }

  @Test
  void hmacSecretsShorterThanTheHashAreErrorsThatNeverEchoTheSecret() {
    assertThatThrownBy(() -> config(List.of("HS256"), "twelve-bytes", null, null, null))
        .hasMessage("secret: 12 bytes (expected: at least 32 bytes for HS256)");
    assertThatThrownBy(() -> config(List.of("HS512"), "x".repeat(32), null, null, null))
        .hasMessageContaining("at least 64 bytes for HS512");
    assertThat(config(List.of("HS256"), "x".repeat(32), null, null, null).toString()).doesNotContain("xxxx");
  }

  @Test
  void algorithmsMustBeExplicitKnownAndFitTheKeySource() {
    assertThatThrownBy(() -> config(null, null, null, "k.json", null)).hasMessageStartingWith("algorithms:");
    assertThatThrownBy(() -> config(List.of("none"), null, null, "k.json", null))
        .hasMessageStartingWith("algorithms[0]: none (expected: one of RS256");
    assertThatThrownBy(() -> config(List.of("HS256"), null, null, "k.json", null))
        .hasMessageContaining("HS256/384/512 only with secret");
    assertThatThrownBy(() -> config(List.of("RS256"), "x".repeat(40), null, null, null))
        .hasMessageContaining("only HS256, HS384 or HS512 with a secret");
  }

  @Test
  void exactlyOneKeySource() {
    assertThatThrownBy(() -> config(List.of("RS256"), null, null, null, null)).hasMessageContaining("0 given");
    assertThatThrownBy(() -> config(List.of("RS256"), null, "k.pem", "k.json", null)).hasMessageContaining("2 given");
    assertThatThrownBy(() -> config(List.of("RS256"), null, null, null, "ftp://x/jwks"))
        .hasMessageStartingWith("jwks-url:");
  }

  @Test
  void errorsArePositionedInTheConfigFile() {
    assertThatThrownBy(() -> ConfigLoader.load("edgeway.yaml", """
        jwt-providers:
          partner:
            issuer: partner
            algorithms: [HS256]
            secret: short
        """)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("edgeway.yaml:").hasMessageContaining("jwt-providers.partner")
        .hasMessageContaining("secret: 5 bytes (expected: at least 32 bytes for HS256)")
        .hasMessageNotContaining("short");
  }

  @Test
  void pemKeysAreReadWithTheJdkAndMustFitTheAlgorithms() throws Exception {
    String pem = "-----BEGIN PUBLIC KEY-----\n"
        + java.util.Base64.getMimeEncoder().encodeToString(Tokens.RSA.toRSAPublicKey().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
    assertThat(PemPublicKeys.parse(pem)).isInstanceOf(com.nimbusds.jose.jwk.RSAKey.class);
    assertThatThrownBy(() -> KeySet.of(new com.nimbusds.jose.jwk.JWKSet(PemPublicKeys.parse(pem)),
        SigningAlgorithms.parse(List.of("ES256")), false)).hasMessageContaining("no key fits");
    assertThatThrownBy(() -> PemPublicKeys.parse("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"))
        .hasMessageContaining("private keys are not accepted");
  }
}
