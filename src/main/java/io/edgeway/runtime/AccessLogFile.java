package io.edgeway.runtime;

import static java.util.Objects.requireNonNull;

import io.edgeway.config.AccessLogFileConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code access-log.output: file}: appends the {@link AccessLogWriter}'s batches to one file and
 * rolls it by size and, unless {@code daily: false}, at midnight (the clock's time zone). Everything
 * happens on the writer's thread, synchronously: a roll is a rename, then the deletion of the
 * rolled files past the history ({@link RolledFiles}), finished before the next batch is written.
 * (Logback's rolling policy, used before, deleted from a pool of threads that shared one mutable
 * calendar, and now and then removed the day's rolled files as "historically stale".)
 *
 * <p>A file is rolled once it has grown to max-size: the batch that finds it full goes to a fresh
 * file, so a file holds whole batches and so whole lines. When a roll fails the lines keep going
 * to the unrolled file; a failed write throws, and the writer counts the batch as dropped. Not
 * thread-safe: one writer thread owns it. Opening is blocking: call it off the event loop.
 */
final class AccessLogFile implements AccessLogOutput {
  private static final Logger log = LoggerFactory.getLogger(AccessLogFile.class);

  private final Path path;
  private final long maxSize;
  private final boolean daily;
  private final RolledFiles rolled;
  private final Clock clock;
  private FileChannel channel; // null after a failed reopen: the next batch tries again
  private long size;
  private LocalDate day; // the day the file's lines were written, which names it when rolled daily
  private boolean rollFailing;

  private AccessLogFile(Path path, AccessLogFileConfig config, Clock clock) {
    this.path = path;
    this.maxSize = config.maxSize().bytes();
    this.daily = config.daily();
    this.rolled = RolledFiles.beside(path, config.daily(), config.maxHistory());
    this.clock = clock;
  }

  /**
   * Opens the file (creating its directory), or fails with an {@link UncheckedIOException} naming
   * {@code access-log.file.path}.
   */
  static AccessLogFile open(AccessLogFileConfig config) {
    return open(config, Clock.systemDefaultZone());
  }

  /** As {@link #open(AccessLogFileConfig)}, with the clock (and time zone) that tells the day. */
  static AccessLogFile open(AccessLogFileConfig config, Clock clock) {
    requireNonNull(config, "config");
    requireNonNull(clock, "clock");
    Path path = Path.of(config.path()).toAbsolutePath();
    try {
      Files.createDirectories(path.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("access-log.file.path: " + config.path() + ": cannot create its directory", e);
    }
    AccessLogFile file = new AccessLogFile(path, config, clock);
    try {
      file.openActive();
    } catch (IOException e) {
      throw new UncheckedIOException("access-log.file.path: " + config.path() + ": cannot open it for writing", e);
    }
    return file;
  }

  /** Appends one batch of whole lines; rolls first when the file is full or from an earlier day. */
  @Override
  public void write(byte[] bytes, int length) throws IOException {
    if (channel == null) {
      openActive();
    }
    LocalDate today = LocalDate.now(clock);
    if (size > 0 && (size >= maxSize || daily && !today.equals(day))) {
      roll(today);
    }
    if (size == 0) {
      day = today;
    }
    ByteBuffer batch = ByteBuffer.wrap(bytes, 0, length);
    while (batch.hasRemaining()) {
      size += channel.write(batch);
    }
  }

  private void roll(LocalDate today) throws IOException {
    FileChannel full = channel;
    channel = null;
    full.close(); // before the rename: not every file system renames an open file
    try {
      rolled.roll(path, day, today);
      rollFailing = false;
    } catch (IOException e) {
      // The lines keep going to the unrolled file rather than being lost; the next batch tries again.
      if (!rollFailing) {
        log.warn("access log: rolling {} failed, appending to it until a roll succeeds: {}", path, e.toString());
      }
      rollFailing = true;
    }
    openActive();
  }

  private void openActive() throws IOException {
    channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    size = channel.size();
    // A file left by an earlier run belongs to the day it was last written (the gateway may have
    // been down at midnight): the first batch of a later day rolls it under that day's name.
    day = size == 0 ? null : LocalDate.ofInstant(Files.getLastModifiedTime(path).toInstant(), clock.getZone());
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
