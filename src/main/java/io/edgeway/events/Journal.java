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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable outbox: append-only segment files {@code NNNNNNNNNNNNNNNNNNNN.seg}, each record
 * {@code [int length][int crc32][payload]}. Every event is appended before it is sent (write-ahead),
 * so a record the broker has not acknowledged is on disk whatever happens to the process. One
 * writer and one reader (the cursor), both the publisher thread; {@link #force()} may be called
 * from another thread (the batched fsync).
 *
 * <p>The journal knows per record what the broker acknowledged ({@link #acknowledge}): the
 * {@code checkpoint} file holds the position before which everything is acknowledged, and the
 * {@code acks} file lists the records acknowledged beyond it (acknowledgements arrive out of order
 * across partitions, and after a failure only some records of a batch are acknowledged). Reading
 * skips acknowledged records, so a replay after an outage or a restart resends only what was not
 * acknowledged. Both files are written by {@link #persist()} once per publisher pass; what was
 * acknowledged after the last persist is resent after a crash (a duplicate, never a loss).
 * Segments are deleted once everything in them is acknowledged. A torn record at the end of a
 * segment (crash mid-write) is cut off at open; a record with a bad CRC ends its segment and is
 * counted.
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

  /** A record: where it starts (its identity in the journal) and the position right after it. */
  record Span(Position start, Position end) {}

  /** A record read for sending, with its span (what to acknowledge once the broker has it). */
  record Entry(Event event, Span span) {
    Position end() {
      return span.end();
    }
  }

  private static final int ACK_RECORD = 28;
  /** A fully acknowledged active segment is dropped (and a new one started) once it is this big. */
  private static final long DRAINED_ROLL_BYTES = 1 << 20;

  private final Path dir;
  private final long maxBytes;
  private final long segmentBytes;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final FileChannel checkpoint;
  private final FileChannel acks;
  /** Acknowledged records at or after {@link #committed}: start to end. */
  private final TreeMap<Position, Position> ackedAhead = new TreeMap<>();
  /** Acknowledged since the last {@link #persist()}, beyond the committed position. */
  private final List<Span> unpersistedAcks = new ArrayList<>();
  private Position persistedCommit;
  private long acksFileSize;
  private volatile long committedOffset;
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
      FileChannel checkpoint, FileChannel acks) {
    this.dir = dir;
    this.acks = acks;
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
    FileChannel acks = FileChannel.open(dir.resolve("acks"), StandardOpenOption.CREATE,
        StandardOpenOption.READ, StandardOpenOption.WRITE);
    Journal journal = new Journal(dir, maxBytes, segmentBytes, lockChannel, lock, checkpoint, acks);
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
    for (Span acked : readAcks(acks)) {
      Long limit = segments.get(acked.start().segment());
      if (acked.start().compareTo(committed) >= 0 && limit != null && acked.end().offset() <= limit) {
        ackedAhead.put(acked.start(), acked.end());
      }
    }
    int recoveredAcks = ackedAhead.size();
    advanceCommitted();
    readPosition = committed;
    persistedCommit = committed;
    acksFileSize = acks.size();
    committedOffset = committed.offset();
    if (!segments.isEmpty()) {
      log.info("journal {}: {} segment(s), {} bytes; replay starts at {} ({} records beyond it already acknowledged)",
          dir, segments.size(), totalBytes.get(), committed, recoveredAcks);
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
   * Returns where it went, or null, writing nothing, when the journal would exceed its bound.
   */
  Span append(Event event) {
    int length = EventCodec.size(event);
    int size = HEADER + length;
    // The bound is on what is not acknowledged yet: acknowledged records of the active segment
    // stay on disk until it rolls, so the directory can hold up to one segment more.
    if (totalBytes.get() - committed.offset() + size > maxBytes || length > MAX_RECORD) {
      return null;
    }
    try {
      if (writer == null || writerEnd + writeBuffer.position() + size > segmentBytes && writerEnd + writeBuffer.position() > 0) {
        roll();
      }
      if (writeBuffer.remaining() < size) {
        flush();
      }
      Position start = new Position(writerSegment, writerEnd + writeBuffer.position());
      if (writeBuffer.remaining() < size) {
        ByteBuffer big = ByteBuffer.allocate(size);
        writeRecord(event, length, big);
        writeAll(big.flip());
      } else {
        writeRecord(event, length, writeBuffer);
      }
      totalBytes.addAndGet(size);
      return new Span(start, new Position(start.segment(), start.offset() + size));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Encodes the record in place, then fills in its header: no payload array per event. The CRC
   * reads the payload back from the buffer (limit moved to its end for the call).
   */
  private void writeRecord(Event event, int length, ByteBuffer out) {
    int at = out.position();
    out.position(at + HEADER);
    try {
      EventCodec.encode(event, out);
    } catch (RuntimeException e) {
      out.position(at); // nothing half-written reaches the file
      throw e;
    }
    int end = out.position();
    if (end - at - HEADER != length) {
      out.position(at);
      throw new IllegalStateException("event encoded to " + (end - at - HEADER) + " bytes (expected: " + length + ")");
    }
    int limit = out.limit();
    out.limit(end).position(at + HEADER);
    crc.reset();
    crc.update(out);
    out.limit(limit);
    out.putInt(at, length).putInt(at + 4, (int) crc.getValue());
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
    if (readPosition.compareTo(committed) < 0) {
      readPosition = committed;
    }
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
        Position start = readPosition;
        readPosition = new Position(readPosition.segment(), readPosition.offset() + HEADER + length);
        if (!ackedAhead.containsKey(start)) {
          out.add(new Entry(event, new Span(start, readPosition)));
        }
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

  /** Reads again from the first unacknowledged record (after a failure); acknowledged records are skipped. */
  void rewind() {
    readPosition = committed;
  }

  /**
   * Moves the cursor past {@code span} if it is the next record to read: the caller sends a record
   * it has just appended from memory instead of reading it back. False when the cursor is behind.
   */
  boolean claim(Span span) {
    Position next = normalize(readPosition);
    if (!next.equals(span.start())) {
      return false;
    }
    readPosition = span.end();
    return true;
  }

  /** The broker acknowledged the record at {@code span}; it is never read again. */
  void acknowledge(Span span) {
    if (span.start().compareTo(committed) < 0) {
      return;
    }
    if (span.start().equals(committed)) {
      // In order (one partition, or the oldest record): the checkpoint moves, nothing to remember.
      committed = span.end();
      advanceCommitted();
      return;
    }
    ackedAhead.put(span.start(), span.end());
    unpersistedAcks.add(span);
    advanceCommitted();
  }

  /** Everything before {@code upTo} was acknowledged (tests; the pipeline acknowledges per record). */
  void commit(Position upTo) {
    if (upTo.compareTo(committed) <= 0) {
      return;
    }
    committed = upTo;
    ackedAhead.headMap(upTo).clear();
    advanceCommitted();
    persist();
  }

  private void advanceCommitted() {
    while (true) {
      committed = normalize(committed);
      Position end = ackedAhead.remove(committed);
      if (end == null) {
        return;
      }
      committed = end;
    }
  }

  /** {@code p}, or the start of the next segment when {@code p} is at the end of a closed segment. */
  private Position normalize(Position p) {
    Position at = p;
    while (true) {
      Long limit = segments.get(at.segment());
      boolean open = writer != null && at.segment() == writerSegment;
      if (limit != null && (open || at.offset() < limit)) {
        return at;
      }
      Long next = segments.higherKey(at.segment());
      if (next == null) {
        return at;
      }
      at = new Position(next, 0);
    }
  }

  /**
   * Makes the acknowledgements durable (checkpoint and acks file; no fsync: a stale file only
   * resends) and deletes the segments wholly acknowledged. Publisher thread, once per pass.
   */
  void persist() {
    try {
      for (Map.Entry<Long, Long> e = segments.firstEntry(); e != null && e.getKey() < committed.segment();
          e = segments.firstEntry()) {
        deleteSegment(e.getKey(), e.getValue());
      }
      if (writer != null && writeBuffer.position() == 0 && committed.segment() == writerSegment
          && committed.offset() == writerEnd && writerEnd >= Math.min(DRAINED_ROLL_BYTES, segmentBytes)) {
        // Fully acknowledged: drop the active segment and start a fresh one at the next append.
        FileChannel old = writer;
        writer = null;
        old.close();
        deleteSegment(writerSegment, writerEnd);
        committed = new Position(writerSegment + 1, 0);
        readPosition = committed;
      } else if (writer == null && isDrained() && !segments.isEmpty() && committed.segment() == segments.lastKey()) {
        // Opened with a fully acknowledged backlog: nothing in it is needed any more.
        long seq = committed.segment();
        deleteSegment(seq, segments.get(seq));
        committed = new Position(seq + 1, 0);
        readPosition = committed;
      }
      if (!committed.equals(persistedCommit)) {
        writeCheckpoint(committed);
        persistedCommit = committed;
      }
      committedOffset = committed.offset();
      if (ackedAhead.isEmpty()) {
        unpersistedAcks.clear();
        if (acksFileSize > 0) {
          acks.truncate(0);
          acksFileSize = 0;
        }
      } else if (!unpersistedAcks.isEmpty()) {
        List<Span> toWrite = unpersistedAcks;
        if (acksFileSize > Math.max(1 << 16, 4L * ACK_RECORD * ackedAhead.size())) {
          // Acknowledgements out of order for a long time (several partitions under steady load):
          // compact the file to what is still ahead of the checkpoint. A crash in between only resends.
          acks.truncate(0);
          acksFileSize = 0;
          toWrite = new ArrayList<>();
          for (Map.Entry<Position, Position> e : ackedAhead.entrySet()) {
            toWrite.add(new Span(e.getKey(), e.getValue()));
          }
        }
        ByteBuffer b = ByteBuffer.allocate(toWrite.size() * ACK_RECORD);
        CRC32 check = new CRC32();
        for (Span span : toWrite) {
          if (span.start().compareTo(committed) < 0) {
            continue;
          }
          int at = b.position();
          b.putLong(span.start().segment()).putLong(span.start().offset()).putLong(span.end().offset());
          check.reset();
          check.update(b.array(), at, 24);
          b.putInt((int) check.getValue());
        }
        unpersistedAcks.clear();
        b.flip();
        while (b.hasRemaining()) {
          acksFileSize += acks.write(b, acksFileSize);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Span> readAcks(FileChannel acks) throws IOException {
    List<Span> out = new ArrayList<>();
    long size = acks.size();
    ByteBuffer b = ByteBuffer.allocate((int) Math.min(size - size % ACK_RECORD, 64L * 1024 * 1024));
    readFully(acks, b, 0);
    CRC32 check = new CRC32();
    for (int at = 0; at + ACK_RECORD <= b.limit(); at += ACK_RECORD) {
      check.reset();
      check.update(b.array(), at, 24);
      if ((int) check.getValue() != b.getInt(at + 24)) {
        break; // torn by a crash mid-write: what follows was never complete
      }
      long segment = b.getLong(at);
      out.add(new Span(new Position(segment, b.getLong(at + 8)), new Position(segment, b.getLong(at + 16))));
    }
    return out;
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

  /** True when every appended record was acknowledged. */
  boolean isDrained() {
    Map.Entry<Long, Long> last = segments.lastEntry();
    Position c = normalize(committed);
    return writeBuffer.position() == 0
        && (last == null || c.segment() == last.getKey() && c.offset() >= last.getValue()
            || c.segment() > last.getKey());
  }

  /** True when the reader has read every appended (flushed) record. */
  boolean isFullyRead() {
    Map.Entry<Long, Long> last = segments.lastEntry();
    return last == null || readPosition.segment() > last.getKey()
        || readPosition.segment() == last.getKey() && readPosition.offset() >= last.getValue();
  }

  /** Bytes of every segment on disk (the {@code max-size} bound). */
  long sizeBytes() {
    return totalBytes.get();
  }

  /** Bytes from the first unacknowledged record to the end: what is still to be delivered. */
  long pendingBytes() {
    return Math.max(0, totalBytes.get() - committedOffset);
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
    return readCheckpoint(checkpoint);
  }

  private static Position readCheckpoint(FileChannel checkpoint) throws IOException {
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
        persist();
        writer.force(false);
        writer.close();
        writer = null;
      }
      if (reader != null) {
        reader.close();
      }
      checkpoint.close();
      acks.close();
      if (lock != null && lock.isValid()) {
        lock.release();
      }
      lockChannel.close();
    } catch (IOException e) {
      log.warn("journal {} did not close cleanly: {}", dir, e.toString());
    }
  }

  /**
   * Reads every record of the journal in {@code dir} that the broker has not acknowledged yet,
   * without locking it ({@code events tail}).
   */
  static List<Event> readAll(Path dir) throws IOException {
    List<Event> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.getFileName().toString().matches("\\d{20}\\" + SUFFIX)).sorted().toList();
    }
    Position committed = new Position(-1, 0);
    Set<Position> acked = new HashSet<>();
    if (Files.isRegularFile(dir.resolve("checkpoint"))) {
      try (FileChannel ch = FileChannel.open(dir.resolve("checkpoint"), StandardOpenOption.READ)) {
        Position saved = readCheckpoint(ch);
        committed = saved == null ? committed : saved;
      }
    }
    if (Files.isRegularFile(dir.resolve("acks"))) {
      try (FileChannel ch = FileChannel.open(dir.resolve("acks"), StandardOpenOption.READ)) {
        readAcks(ch).forEach(span -> acked.add(span.start()));
      }
    }
    for (Path file : files) {
      long seq = Long.parseLong(file.getFileName().toString().substring(0, 20));
      byte[] all = Files.readAllBytes(file);
      ByteBuffer b = ByteBuffer.wrap(all);
      CRC32 check = new CRC32();
      while (b.remaining() >= HEADER) {
        Position at = new Position(seq, b.position());
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
        if (at.compareTo(committed) >= 0 && !acked.contains(at)) {
          out.add(EventCodec.decode(payload));
        }
      }
    }
    return out;
  }
}
