package io.edgeway.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathCanonicalizerTest {

  private static String canonical(String raw) {
    CanonicalPath result = PathCanonicalizer.canonicalize(raw);
    assertThat(result.rejection()).as("rejection of %s", raw).isNull();
    return result.path();
  }

  private static String rejectionCode(String raw) {
    CanonicalPath result = PathCanonicalizer.canonicalize(raw);
    assertThat(result.isValid()).as("%s must be rejected, got %s", raw, result.path()).isFalse();
    assertThat(result.rejection().status()).isEqualTo(400);
    return result.rejection().code();
  }

  @Test
  @DisplayName("fast path: an already canonical path is returned as the same instance")
  void fastPathKeepsInstance() {
    String raw = new String("/api/v1/users/42/orders.json");
    assertThat(PathCanonicalizer.canonicalize(raw).path()).isSameAs(raw);
    String withKeptEscapes = new String("/files/a%20b/%C3%A9/x%23y");
    assertThat(PathCanonicalizer.canonicalize(withKeptEscapes).path()).isSameAs(withKeptEscapes);
    String dotFiles = new String("/a/.well-known/..x/.../x.");
    assertThat(PathCanonicalizer.canonicalize(dotFiles).path()).isSameAs(dotFiles);
  }

  @ParameterizedTest(name = "B1/B13 {0} -> {1}")
  @CsvSource({
    "/api/../admin, /admin",
    "/public/../api/me, /api/me",
    "/api/users/../../admin, /admin",
    "/a/b/c/./../../g, /a/g",
    "/a/b/.., /a/",
    "/a/b/., /a/b/",
    "/a/.., /",
    "/., /",
    "/.., /",
  })
  void b1DotSegmentsRemoved(String raw, String expected) {
    assertThat(canonical(raw)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "B2 {0} -> {1}")
  @CsvSource({
    "/api/%2e%2e/admin, /admin",
    "/api/%2E%2E/admin, /admin",
    "/api/%2e/users, /api/users",
    "/api/.%2e/admin, /admin",
    "/api/%2e./admin, /admin",
  })
  void b2EncodedDotSegmentsDecodedThenRemoved(String raw, String expected) {
    assertThat(canonical(raw)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "B3 {0} -> {1}")
  @CsvSource({
    "/api/%252e%252e/admin, /api/%252e%252e/admin",
    "/api/%252E%252E/admin, /api/%252E%252E/admin",
    "/api/%252f/x, /api/%252f/x",
    "/api/%2525, /api/%2525",
  })
  void b3DoubleEncodedDecodedOnceOnly(String raw, String expected) {
    assertThat(canonical(raw)).isEqualTo(expected);
    assertThat(canonical(expected)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "B4 {0} -> {1}")
  @CsvSource({
    "/api/..%2fadmin, encoded_slash",
    "/api/..%2Fadmin, encoded_slash",
    "/api/%2f..%2fadmin, encoded_slash",
    "/api/%5c..%5cadmin, backslash",
    "/api/%5C..%5Cadmin, backslash",
    "'/api\\..\\admin', backslash",
  })
  void b4SlashAndBackslashTricksRejected(String raw, String code) {
    assertThat(rejectionCode(raw)).isEqualTo(code);
  }

  @ParameterizedTest(name = "B5 {0}")
  @ValueSource(strings = {"/api/x%00.css", "/api/%01", "/api/%0a", "/api/%0D%0A", "/api/%1f", "/api/%7f", "/a/%09"})
  void b5EncodedControlCharactersRejected(String raw) {
    assertThat(rejectionCode(raw)).isEqualTo("control_character");
  }

  @Test
  @DisplayName("B5 raw control characters, DEL and space are rejected")
  void b5RawControlCharactersRejected() {
    for (char c = 0; c < 0x20; c++) {
      assertThat(rejectionCode("/api/a" + c + "b")).isEqualTo("control_character");
    }
    assertThat(rejectionCode("/api/a\u007fb")).isEqualTo("control_character");
    assertThat(rejectionCode("/api/a b")).isEqualTo("invalid_character");
  }

  @ParameterizedTest(name = "B6 {0}")
  @ValueSource(strings = {
    "/api/users/%c0%ae%c0%ae/admin", // overlong '.'
    "/api/%C0%AF", // overlong '/'
    "/api/%C1%BF",
    "/api/%E0%80%AF", // overlong 3-byte
    "/api/%F0%80%80%AF", // overlong 4-byte
    "/api/%ED%A0%80", // surrogate U+D800
    "/api/%ED%BF%BF", // surrogate U+DFFF
    "/api/%F4%90%80%80", // above U+10FFFF
    "/api/%F5%80%80%80",
    "/api/%FF",
    "/api/%80", // lone continuation byte
    "/api/%C3", // truncated
    "/api/%C3/x",
    "/api/%E2%82", // truncated 3-byte
    "/api/%C3%28", // bad continuation
    "/api/%C3a",
  })
  void b6InvalidUtf8Rejected(String raw) {
    assertThat(rejectionCode(raw)).isEqualTo("invalid_utf8");
  }

  @ParameterizedTest(name = "valid UTF-8 escapes kept, hex upper-cased: {0} -> {1}")
  @CsvSource({
    "/caf%c3%a9, /caf%C3%A9",
    "/%E2%82%AC, /%E2%82%AC",
    "/%f0%9f%98%80, /%F0%9F%98%80",
    "/%ED%9F%BF, /%ED%9F%BF",
    "/%F4%8F%BF%BF, /%F4%8F%BF%BF",
  })
  void validUtf8Kept(String raw, String expected) {
    assertThat(canonical(raw)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "B7 {0} -> {1}")
  @CsvSource({
    "//admin, /admin",
    "/api//users, /api/users",
    "///api///users///, /api/users/",
    "//, /",
    "/a/./b//, /a/b/",
  })
  void b7RepeatedSlashesMerged(String raw, String expected) {
    assertThat(canonical(raw)).isEqualTo(expected);
  }

  @Test
  @DisplayName("B8 case is preserved (matching is case-sensitive)")
  void b8CasePreserved() {
    assertThat(canonical("/ADMIN")).isEqualTo("/ADMIN");
    assertThat(canonical("/Api/users")).isEqualTo("/Api/users");
    assertThat(canonical("/api/%75sers")).isEqualTo("/api/users");
    assertThat(canonical("/api/%55sers")).isEqualTo("/api/Users");
  }

  @Test
  @DisplayName("B9 a trailing slash is kept: /admin and /admin/ stay distinct")
  void b9TrailingSlashKept() {
    assertThat(canonical("/admin")).isEqualTo("/admin");
    assertThat(canonical("/admin/")).isEqualTo("/admin/");
    assertThat(canonical("/admin/.")).isEqualTo("/admin/");
  }

  @ParameterizedTest(name = "B10 {0}")
  @ValueSource(strings = {"/admin;jsessionid=1", "/api/users/..;/admin", "/api/users;x=../../admin", "/;", "/a;/b"})
  void b10MatrixParametersRejected(String raw) {
    assertThat(rejectionCode(raw)).isEqualTo("matrix_parameters");
  }

  @Test
  @DisplayName("B10 an encoded ';' is data, stays encoded and is accepted")
  void b10EncodedSemicolonStaysEncoded() {
    assertThat(canonical("/a%3bb")).isEqualTo("/a%3Bb");
  }

  @Test
  @DisplayName("B11 a '?' never reaches the canonicalizer (the caller splits); if it does, it is refused")
  void b11QueryIsNotPath() {
    assertThat(rejectionCode("/api/users?x=../admin")).isEqualTo("invalid_character");
  }

  @Test
  @DisplayName("B12 no prefix tricks: /apiary stays /apiary")
  void b12SegmentsNotMerged() {
    assertThat(canonical("/apiary")).isEqualTo("/apiary");
    assertThat(canonical("/api%61ry")).isEqualTo("/apiary");
  }

  @ParameterizedTest(name = "B14 {0} -> {1}")
  @CsvSource({
    "/a%23b, /a%23b",
    "/a%23/b, /a%23/b",
    "/a%3fb, /a%3Fb",
    "/a%3F, /a%3F",
    "/a%25, /a%25",
    "/a%2541, /a%2541",
    "/a%20b, /a%20b",
    "/%40%3a, /%40%3A",
  })
  void b14MeaningfulEscapesStayEncoded(String raw, String expected) {
    assertThat(canonical(raw)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "unreserved escapes decoded: {0} -> {1}")
  @CsvSource({
    "/%41%5a%61%7a%30%39, /AZaz09",
    "/%2D%2E%5F%7E, /-._~",
    "/a%2Db, /a-b",
  })
  void unreservedDecoded(String raw, String expected) {
    assertThat(canonical(raw)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "invalid escape {0}")
  @ValueSource(strings = {"/%", "/a%", "/a%4", "/%zz", "/%4g", "/%g4", "/%%41", "/%-1", "/% 1"})
  void invalidEscapesRejected(String raw) {
    assertThat(rejectionCode(raw)).isEqualTo("invalid_escape");
  }

  @ParameterizedTest(name = "A23 fragment {0}")
  @ValueSource(strings = {"/a#frag", "/#", "/api/x#/../admin"})
  void fragmentRejected(String raw) {
    assertThat(rejectionCode(raw)).isEqualTo("fragment");
  }

  @ParameterizedTest(name = "not origin-form: [{0}]")
  @ValueSource(strings = {"", "*", "api/users", "http://a/b", "a:b"})
  void notOriginFormRejected(String raw) {
    assertThat(rejectionCode(raw)).isEqualTo("not_origin_form");
  }

  @Test
  @DisplayName("raw non-ASCII bytes must be percent-encoded")
  void rawNonAsciiRejected() {
    assertThat(rejectionCode("/caf\u00e9")).isEqualTo("non_ascii");
    assertThat(rejectionCode("/\u00c0\u00ae")).isEqualTo("non_ascii");
    assertThat(rejectionCode("/\u20ac")).isEqualTo("non_ascii");
  }

  @ParameterizedTest(name = "characters RFC 3986 forbids unencoded: {0}")
  @ValueSource(strings = {"/a\"b", "/a<b", "/a>b", "/a[b", "/a]b", "/a^b", "/a`b", "/a{b", "/a|b", "/a}b"})
  void forbiddenCharactersRejected(String raw) {
    assertThat(rejectionCode(raw)).isEqualTo("invalid_character");
  }

  @Test
  @DisplayName("sub-delims, ':' and '@' are allowed raw")
  void subDelimsAllowed() {
    String raw = "/a!$&'()*+,=:@b";
    assertThat(canonical(raw)).isEqualTo(raw);
  }

  // --- property-style checks over a generated corpus ---

  private static final String[] PIECES = {
    "/", "/", "/", "a", "b", "api", "admin", ".", "..", "%2e", "%2E", "%2f", "%5c", "%25", "%252e",
    "%41", "%7e", "%7E", "%20", "%23", "%3f", "%3F", "%c3%a9", "%C3", "%c0%ae", "%", "%4", "%zz",
    ";", "\\", "#", "?", " ", "\t", "\u0000", "\u00e9", "~", "-", "_", "@", ":", "!", "=", "%00",
    "%ED%A0%80", "%F0%9F%98%80", "x.y", "...", "%2e%2e", ".%2e", "//", "/./", "/../", "%e2%82%ac",
  };

  @Test
  @DisplayName("property: never throws; accepted output is canonical and idempotent")
  void propertiesOverGeneratedCorpus() {
    Random random = new Random(20261126L);
    int accepted = 0;
    int rewritten = 0;
    for (int n = 0; n < 20_000; n++) {
      StringBuilder raw = new StringBuilder(random.nextInt(4) == 0 ? "" : "/");
      int pieces = random.nextInt(12);
      for (int p = 0; p < pieces; p++) {
        raw.append(PIECES[random.nextInt(PIECES.length)]);
      }
      if (random.nextInt(10) == 0) {
        raw.append((char) random.nextInt(0x100)); // any byte
      }
      String input = raw.toString();
      CanonicalPath result = PathCanonicalizer.canonicalize(input);
      if (!result.isValid()) {
        assertThat(result.rejection().status()).isEqualTo(400);
        continue;
      }
      accepted++;
      String out = result.path();
      if (!out.equals(input)) {
        rewritten++;
      }
      assertThat(out).as("from %s", input).startsWith("/");
      assertThat(out).as("from %s", input).doesNotContain("//", "/./", "/../");
      assertThat(out.endsWith("/.") || out.endsWith("/..")).as("from %s -> %s", input, out).isFalse();
      assertNoDecodableOrLowerCaseEscape(input, out);
      CanonicalPath again = PathCanonicalizer.canonicalize(out);
      assertThat(again.path()).as("idempotent for %s", input).isEqualTo(out);
      assertThat(again.path()).as("canonical input keeps its instance").isSameAs(out);
    }
    // The corpus must exercise both outcomes, or the properties above prove little.
    assertThat(accepted).isBetween(2_000, 18_000);
    assertThat(rewritten).as("accepted inputs that needed rewriting").isGreaterThan(500);
  }

  private static void assertNoDecodableOrLowerCaseEscape(String input, String out) {
    for (int i = out.indexOf('%'); i >= 0; i = out.indexOf('%', i + 1)) {
      assertThat(i + 2).as("escape complete in %s (from %s)", out, input).isLessThan(out.length());
      String hex = out.substring(i + 1, i + 3);
      assertThat(hex).as("upper-case hex in %s (from %s)", out, input).matches("[0-9A-F]{2}");
      int v = Integer.parseInt(hex, 16);
      boolean unreserved = Character.isLetterOrDigit(v) && v < 0x80 || v == '-' || v == '.' || v == '_' || v == '~';
      assertThat(unreserved).as("unreserved escape %%%s left in %s (from %s)", hex, out, input).isFalse();
    }
  }
}
