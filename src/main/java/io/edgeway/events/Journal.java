package io.edgeway.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable outbox: append-only segment files {@code NNNNNNNNNNNNNNNNNNNN.seg}, each record
 * {@code [int length][int crc32][payload]}. One writer and one reader, both the publisher thread;
 * {@link #force()} may be called from another thread (the batched fsync).
 *
 * <p>Segments are deleted only after {@link #commit} says every record in them was acknowledged
 * by Kafka; a checkpoint file remembers the acknowledged position across restarts (a stale
 * checkpoint only causes duplicates, never loss). A torn record at the end of a segment (crash
 * mid-write) is cut off at open; a record with a bad CRC ends its segment and is counted.
 */
final class Journal implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Journal.class);
  private static final int HEADER = 8;
  private static final int MAX_RECORD = 64 * 1024 * 1024;
  private static final String SUFFIX = ".seg";

  /** A place in the journal: the segment and the byte offset within it. */
  record Position(long segment, long offset) implements Comparable<Position> {
    @Override
    public int compareTo(Position o) {
      return segment != o.segment ? Long.compare(segment, o.segment) : Long.compare(offset, o.offset);
    }
  }

  /** A record read for replay and the position right after it (what to commit once acked). */
  record Entry(Event event, Position end) {}

  private final Path dir;
  private final long maxBytes;
  private final long segmentBytes;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final FileChannel checkpoint;
  /** Readable end of every segment on disk, by sequence number. */
  private final TreeMap<Long, Long> segments = new TreeMap<>();
  private final AtomicLong totalBytes = new AtomicLong();
  private final AtomicLong corrupt = new AtomicLong();
  private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(256 * 1024);
  private final CRC32 crc = new CRC32();

  private volatile FileChannel writer;
  private long writerSegment = -1;
  private long writerEnd;
  private volatile boolean dirty;

  private Position committed;
  private Position readPosition;
  private FileChannel reader;
  private long readerSegment = -1;

  private Journal(Path dir, long maxBytes, long segmentBytes, FileChannel lockChannel, FileLock lock,
      FileChannel checkpoint) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.checkpoint = checkpoint;
  }

  /** Opens (creating) the journal in {@code dir}, recovering what a previous run left; blocking I/O. */
  static Journal open(Path dir, long maxBytes, long segmentBytes) throws IOException {
    Files.createDirectories(dir);
    FileChannel lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      lockChannel.close();
      throw new IOException("journal directory " + dir + " is in use by another gateway (expected: one gateway per journal dir)");
    }
    FileChannel checkpoint = FileChannel.open(dir.resolve("checkpoint"), StandardOpenOption.CREATE,
        StandardOpenOption.READ, StandardOpenOption.WRITE);
    Journal journal = new Journal(dir, maxBytes, segmentBytes, lockChannel, lock, checkpoint);
    try {
      journal.recover();
    } catch (IOException | RuntimeException e) {
      journal.close();
      throw e;
    }
    return journal;
  }

  private void recover() throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.getFileName().toString().matches("\\d{20}\\" + SUFFIX)).sorted().toList();
    }
    for (Path file : files) {
      long seq = Long.parseLong(file.getFileName().toString().substring(0, 20));
      long valid = validEnd(file);
      long size = Files.size(file);
      if (valid < size) {
        log.warn("journal {}: {} bytes after offset {} are torn or corrupt; cut off", file, size - valid, valid);
        corrupt.incrementAndGet();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
          ch.truncate(valid);
        }
      }
      segments.put(seq, valid);
      totalBytes.addAndGet(valid);
    }
    Position start = segments.isEmpty() ? new Position(0, 0) : new Position(segments.firstKey(), 0);
    Position saved = readCheckpoint();
    if (saved != null && segments.containsKey(saved.segment()) && saved.offset() <= segments.get(saved.segment())) {
      start = saved;
    }
    committed = start;
    readPosition = start;
    writerSegment = segments.isEmpty() ? 0 : segments.lastKey();
    if (!segments.isEmpty()) {
      log.info("journal {}: {} segment(s), {} bytes; replay starts at {}", dir, segments.size(), totalBytes.get(), start);
    }
  }

  private long validEnd(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      long pos = 0;
      ByteBuffer header = ByteBuffer.allocate(HEADER);
      CRC32 check = new CRC32();
      while (pos + HEADER <= size) {
        header.clear();
        readFully(ch, header, pos);
        int length = header.getInt(0);
        int expected = header.getInt(4);
        if (length <= 0 || length > MAX_RECORD || pos + HEADER + length > size) {
          return pos;
        }
        ByteBuffer payload = ByteBuffer.allocate(length);
        readFully(ch, payload, pos + HEADER);
        check.reset();
        check.update(payload.array());
        if ((int) check.getValue() != expected) {
          return pos;
        }
        pos += HEADER + length;
      }
      return pos;
    }
  }

  /**
   * Appends an event (buffered; visible to the reader and the fsync after {@link #flush()}).
   * Returns false, writing nothing, when the journal would exceed its bound.
   */
  boolean append(Event event) {
    byte[] payload = EventCodec.encode(event);
    int size = HEADER + payload.length;
    if (totalBytes.get() + size > maxBytes || payload.length > MAX_RECORD) {
      return false;
    }
    try {
      if (writer == null || writerEnd + writeBuffer.position() + size > segmentBytes && writerEnd + writeBuffer.position() > 0) {
        roll();
      }
      if (writeBuffer.remaining() < size) {
        flush();
      }
      crc.reset();
      crc.update(payload);
      if (writeBuffer.remaining() < size) {
        ByteBuffer big = ByteBuffer.allocate(size).putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
        writeAll(big);
      } else {
        writeBuffer.putInt(payload.length).putInt((int) crc.getValue()).put(payload);
      }
      totalBytes.addAndGet(size);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes buffered records to the segment file (no fsync). */
  void flush() {
    if (writeBuffer.position() == 0) {
      return;
    }
    writeBuffer.flip();
    try {
      writeAll(writeBuffer);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writeBuffer.clear();
    }
  }

  private void writeAll(ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      writerEnd += writer.write(b, writerEnd);
    }
    segments.put(writerSegment, writerEnd);
    dirty = true;
  }

  private void roll() throws IOException {
    flush();
    FileChannel old = writer;
    if (old != null) {
      old.force(false);
      old.close();
    }
    writerSegment = segments.isEmpty() ? Math.max(writerSegment + 1, committed.segment()) : segments.lastKey() + 1;
    writer = FileChannel.open(segmentPath(writerSegment), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    writerEnd = 0;
    segments.put(writerSegment, 0L);
    if (segments.size() == 1) {
      committed = new Position(writerSegment, 0);
      readPosition = committed;
    }
  }

  /** Forces appended records to disk if anything was written since the last call. */
  void force() {
    FileChannel ch = writer;
    if (!dirty || ch == null) {
      return;
    }
    dirty = false;
    try {
      ch.force(false);
    } catch (ClosedChannelException rolled) {
      // The segment was rolled; roll() forced it before closing.
    } catch (IOException e) {
      dirty = true;
      log.error("journal fsync failed: {}", e.toString());
    }
  }

  /** Reads up to {@code max} records from the read position (records appended and flushed so far). */
  List<Entry> read(int max) {
    List<Entry> out = new ArrayList<>(Math.min(max, 1024));
    try {
      ByteBuffer header = ByteBuffer.allocate(HEADER);
      while (out.size() < max) {
        Long limit = segments.get(readPosition.segment());
        if (limit == null || readPosition.offset() >= limit) {
          Long next = segments.higherKey(readPosition.segment());
          if (next == null) {
            break;
          }
          readPosition = new Position(next, 0);
          continue;
        }
        FileChannel ch = readerFor(readPosition.segment());
        header.clear();
        readFully(ch, header, readPosition.offset());
        int length = header.getInt(0);
        if (length <= 0 || length > MAX_RECORD || readPosition.offset() + HEADER + length > limit) {
          skipSegment("bad record length " + length);
          continue;
        }
        ByteBuffer payload = ByteBuffer.allocate(length);
        readFully(ch, payload, readPosition.offset() + HEADER);
        crc.reset();
        crc.update(payload.array());
        if ((int) crc.getValue() != header.getInt(4)) {
          skipSegment("CRC mismatch");
          continue;
        }
        Event event;
        try {
          event = EventCodec.decode(payload.array());
        } catch (RuntimeException e) {
          skipSegment("undecodable record: " + e.getMessage());
          continue;
        }
        readPosition = new Position(readPosition.segment(), readPosition.offset() + HEADER + length);
        out.add(new Entry(event, readPosition));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private void skipSegment(String why) {
    log.error("journal segment {} at offset {}: {}; the rest of the segment is skipped", readPosition.segment(),
        readPosition.offset(), why);
    corrupt.incrementAndGet();
    segments.put(readPosition.segment(), readPosition.offset());
  }

  private FileChannel readerFor(long segment) throws IOException {
    if (segment != readerSegment) {
      if (reader != null) {
        reader.close();
      }
      reader = FileChannel.open(segmentPath(segment), StandardOpenOption.READ);
      readerSegment = segment;
    }
    return reader;
  }

  /** Re-reads from the last committed position (after a failed replay batch). */
  void rewind() {
    readPosition = committed;
  }

  /** Everything before {@code upTo} was acknowledged: delete the segments wholly before it. */
  void commit(Position upTo) {
    if (upTo.compareTo(committed) <= 0) {
      return;
    }
    committed = upTo;
    try {
      for (Map.Entry<Long, Long> e = segments.firstEntry(); e != null && e.getKey() < upTo.segment();
          e = segments.firstEntry()) {
        deleteSegment(e.getKey(), e.getValue());
      }
      Long limit = segments.get(upTo.segment());
      boolean active = writer != null && upTo.segment() == writerSegment;
      if (!active && limit != null && upTo.offset() >= limit) {
        deleteSegment(upTo.segment(), limit);
      }
      if (writeBuffer.position() == 0 && upTo.segment() == writerSegment && upTo.offset() == writerEnd
          && writer != null) {
        // Fully drained: drop the active segment too and start a fresh one at the next append.
        FileChannel old = writer;
        writer = null;
        old.close();
        deleteSegment(writerSegment, writerEnd);
        committed = new Position(writerSegment + 1, 0);
        readPosition = committed;
      }
      writeCheckpoint(committed);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void deleteSegment(long seq, long bytes) throws IOException {
    if (seq == readerSegment && reader != null) {
      reader.close();
      reader = null;
      readerSegment = -1;
    }
    segments.remove(seq);
    totalBytes.addAndGet(-bytes);
    Files.deleteIfExists(segmentPath(seq));
  }

  /** True when every appended record was committed. */
  boolean isDrained() {
    Map.Entry<Long, Long> last = segments.lastEntry();
    return writeBuffer.position() == 0
        && (last == null || committed.segment() == last.getKey() && committed.offset() >= last.getValue()
            || committed.segment() > last.getKey());
  }

  /** True when the reader has read every appended (flushed) record. */
  boolean isFullyRead() {
    Map.Entry<Long, Long> last = segments.lastEntry();
    return last == null || readPosition.segment() > last.getKey()
        || readPosition.segment() == last.getKey() && readPosition.offset() >= last.getValue();
  }

  long sizeBytes() {
    return totalBytes.get();
  }

  int segmentCount() {
    return segments.size();
  }

  long corruptRecords() {
    return corrupt.get();
  }

  private Path segmentPath(long seq) {
    return dir.resolve(String.format("%020d%s", seq, SUFFIX));
  }

  private Position readCheckpoint() throws IOException {
    if (checkpoint.size() < 20) {
      return null;
    }
    ByteBuffer b = ByteBuffer.allocate(20);
    readFully(checkpoint, b, 0);
    CRC32 check = new CRC32();
    check.update(b.array(), 0, 16);
    return (int) check.getValue() == b.getInt(16) ? new Position(b.getLong(0), b.getLong(8)) : null;
  }

  private void writeCheckpoint(Position p) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(20).putLong(p.segment()).putLong(p.offset());
    CRC32 check = new CRC32();
    check.update(b.array(), 0, 16);
    b.putInt((int) check.getValue()).flip();
    while (b.hasRemaining()) {
      checkpoint.write(b, b.position());
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
    long pos = position;
    while (b.hasRemaining()) {
      int n = ch.read(b, pos);
      if (n < 0) {
        throw new IOException("unexpected end of journal file at " + pos);
      }
      pos += n;
    }
  }

  /** Flushes, forces and closes the files; releases the directory lock. */
  @Override
  public void close() {
    try {
      if (writer != null) {
        flush();
        writer.force(false);
        writer.close();
        writer = null;
      }
      if (reader != null) {
        reader.close();
      }
      checkpoint.close();
      if (lock != null && lock.isValid()) {
        lock.release();
      }
      lockChannel.close();
    } catch (IOException e) {
      log.warn("journal {} did not close cleanly: {}", dir, e.toString());
    }
  }

  /** Reads every record of the journal in {@code dir} without locking it ({@code events tail}). */
  static List<Event> readAll(Path dir) throws IOException {
    List<Event> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.getFileName().toString().matches("\\d{20}\\" + SUFFIX)).sorted().toList();
    }
    for (Path file : files) {
      byte[] all = Files.readAllBytes(file);
      ByteBuffer b = ByteBuffer.wrap(all);
      CRC32 check = new CRC32();
      while (b.remaining() >= HEADER) {
        int length = b.getInt();
        int expected = b.getInt();
        if (length <= 0 || length > b.remaining()) {
          break;
        }
        check.reset();
        check.update(all, b.position(), length);
        if ((int) check.getValue() != expected) {
          break;
        }
        byte[] payload = new byte[length];
        b.get(payload);
        out.add(EventCodec.decode(payload));
      }
    }
    return out;
  }
}
