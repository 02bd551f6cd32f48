package io.edgeway.testing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the access log a gateway writes to a file ({@code access-log.output: file}): its writer
 * thread batches lines and writes them within about 100 ms, so readers wait for them.
 */
public final class AccessLogLines {
  private AccessLogLines() {}

  /** Waits up to {@code millis} for at least {@code count} lines in {@code file}; returns them all. */
  public static List<JsonObject> await(Path file, int count, long millis) throws InterruptedException {
    long end = System.nanoTime() + millis * 1_000_000;
    List<JsonObject> lines = read(file);
    while (lines.size() < count && System.nanoTime() < end) {
      Thread.sleep(10);
      lines = read(file);
    }
    return lines;
  }

  private static List<JsonObject> read(Path file) {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      // Only whole lines: the writer may be in the middle of a batch.
      String text = Files.readString(file, StandardCharsets.UTF_8);
      return text.substring(0, text.lastIndexOf('\n') + 1).lines().map(JsonObject::new).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
