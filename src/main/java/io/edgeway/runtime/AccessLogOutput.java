package io.edgeway.runtime;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;

/**
 * Where the {@link AccessLogWriter} puts its batches of lines: stdout or an {@link AccessLogFile}.
 * Called on the writer's thread only, so it may block.
 */
interface AccessLogOutput extends AutoCloseable {

  /** Writes {@code bytes[0..length)}, whole lines, ideally in one system call. */
  void write(byte[] bytes, int length) throws IOException;

  @Override
  void close() throws IOException;

  /**
   * The process's stdout, written to its file descriptor directly: no {@code PrintStream} and no
   * buffer in between, one {@code write(2)} per batch. Closing leaves the descriptor open.
   */
  static AccessLogOutput stdout() {
    FileOutputStream out = new FileOutputStream(FileDescriptor.out);
    return new AccessLogOutput() {
      @Override
      public void write(byte[] bytes, int length) throws IOException {
        out.write(bytes, 0, length);
      }

      @Override
      public void close() {
        // fd 1 belongs to the process, not to one gateway.
      }

      @Override
      public String toString() {
        return "stdout";
      }
    };
  }
}
