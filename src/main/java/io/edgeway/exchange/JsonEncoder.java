package io.edgeway.exchange;

import static java.util.Objects.requireNonNull;

import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;

/**
 * The one encoder for the JSON documents the gateway writes outside the request path: admin
 * answers, state events, command-line output.
 *
 * <p>It is Vert.x's jackson-core codec, which the shipped jar always contains, used explicitly.
 * {@link JsonObject#encode()} picks jackson-databind's codec whenever databind happens to be on
 * the class path (the test class path has it, through the JSON Schema validator; the jar does
 * not), and databind encodes records and other beans that the jar then cannot: a document that
 * encoded in every test threw in production. With this codec both behave the same, so a value
 * that is not plain JSON (string, number, boolean, null, {@link JsonObject}, list, map, enum,
 * {@code Instant}, bytes) fails in the tests too. Convert records explicitly, e.g. with
 * {@code toString()}.
 */
public final class JsonEncoder {
  private static final JacksonCodec CODEC = new JacksonCodec();

  private JsonEncoder() {}

  /**
   * One line of JSON.
   *
   * @throws EncodeException when the document holds a value that is not plain JSON
   */
  public static String encode(JsonObject json) {
    return CODEC.toString(requireNonNull(json, "json"), false);
  }

  /**
   * Indented JSON, for people reading admin answers.
   *
   * @throws EncodeException when the document holds a value that is not plain JSON
   */
  public static String encodePrettily(JsonObject json) {
    return CODEC.toString(requireNonNull(json, "json"), true);
  }
}
