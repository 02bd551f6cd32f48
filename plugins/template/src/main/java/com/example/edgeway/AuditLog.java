package com.example.edgeway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The audit file. Written only from worker threads (never an event loop), so a lock is fine here;
 * the file is opened on the first write, never while the configuration is only being validated.
 */
final class AuditLog implements AutoCloseable {
  private final Path path;
  private Writer writer;

  AuditLog(Path path) {
    this.path = path;
  }

  synchronized void append(String line) {
    try {
      if (writer == null) {
        writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
      }
      writer.write(line);
      writer.write('\n');
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("audit file " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    if (writer != null) {
      try {
        writer.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      writer = null;
    }
  }
}
