package io.edgeway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
  @TempDir
  Path dir;

  static Event event(int i) {
    return new Event("id-" + i, "io.edgeway.request.completed.v1", "/edgeway/test", i % 2 == 0 ? null : "r", 1000L + i,
        "t", "k" + i, ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
    }
  }

  @Test
  void appendsReadsInOrderAcrossSegmentsAndDeletesOnlyCommittedSegments() throws Exception {
    try (Journal j = Journal.open(dir, 1 << 20, 1024)) {
      for (int i = 0; i < 40; i++) {
        assertThat(j.append(event(i))).isNotNull();
      }
      j.flush();
      assertThat(segments()).hasSizeGreaterThan(2);
      List<Journal.Entry> first = j.read(10);
      assertThat(first).extracting(e -> e.event().id()).containsExactly(
          "id-0", "id-1", "id-2", "id-3", "id-4", "id-5", "id-6", "id-7", "id-8", "id-9");
      assertThat(first.get(3).event()).usingRecursiveComparison().isEqualTo(event(3));
      j.rewind(); // a failed batch is read again
      assertThat(j.read(10).get(0).event().id()).isEqualTo("id-0");
      List<Journal.Entry> rest = j.read(100);
      assertThat(rest).hasSize(30);
      int before = segments().size();
      j.commit(rest.get(14).end());
      assertThat(segments().size()).isLessThan(before);
      assertThat(j.isDrained()).isFalse();
      j.commit(rest.get(29).end());
      assertThat(j.isDrained()).isTrue();
      assertThat(segments()).hasSizeLessThanOrEqualTo(1); // the active one, dropped once it is big enough
      assertThat(j.pendingBytes()).isZero();
    }
  }

  @Test
  void survivesARestartAndResumesAfterTheCheckpoint() throws Exception {
    try (Journal j = Journal.open(dir, 1 << 20, 1 << 16)) {
      for (int i = 0; i < 10; i++) {
        j.append(event(i));
      }
      j.flush();
      List<Journal.Entry> read = j.read(4);
      j.commit(read.get(3).end());
    }
    try (Journal j = Journal.open(dir, 1 << 20, 1 << 16)) {
      assertThat(j.isDrained()).isFalse();
      assertThat(j.read(100)).extracting(e -> e.event().id())
          .containsExactly("id-4", "id-5", "id-6", "id-7", "id-8", "id-9");
      j.append(event(10));
      j.flush();
      assertThat(j.read(100)).extracting(e -> e.event().id()).containsExactly("id-10");
    }
  }

  @Test
  void cutsATornTailAndSkipsACorruptRecordCountingIt() throws Exception {
    try (Journal j = Journal.open(dir, 1 << 20, 1 << 16)) {
      for (int i = 0; i < 3; i++) {
        j.append(event(i));
      }
    }
    Path segment = segments().get(0);
    long size = Files.size(segment);
    try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
      f.setLength(size - 3); // a crash in the middle of the last record
    }
    try (Journal j = Journal.open(dir, 1 << 20, 1 << 16)) {
      assertThat(j.corruptRecords()).isEqualTo(1);
      assertThat(j.read(10)).extracting(e -> e.event().id()).containsExactly("id-0", "id-1");
    }
    try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
      f.seek(12); // inside the first record's payload: its CRC no longer matches
      f.write('X');
    }
    try (Journal j = Journal.open(dir, 1 << 20, 1 << 16)) {
      assertThat(j.corruptRecords()).isEqualTo(1);
      assertThat(j.read(10)).isEmpty();
    }
  }

  @Test
  void readsSkipWhatWasAcknowledgedOutOfOrderAlsoAfterARestart() throws Exception {
    try (Journal j = Journal.open(dir, 1 << 20, 1 << 16)) {
      for (int i = 0; i < 10; i++) {
        j.append(event(i));
      }
      j.flush();
      List<Journal.Entry> all = j.read(10);
      // The broker acknowledged 0, 1, 3, 4 and 8 (a batch that failed part-way, two partitions).
      for (int i : new int[] {0, 1, 3, 4, 8}) {
        j.acknowledge(all.get(i).span());
      }
      j.persist();
      j.rewind();
      assertThat(j.read(100)).extracting(e -> e.event().id())
          .containsExactly("id-2", "id-5", "id-6", "id-7", "id-9");
    }
    // No clean close needed: the checkpoint and the acks file were written by persist().
    assertThat(Journal.readAll(dir)).extracting(Event::id).containsExactly("id-2", "id-5", "id-6", "id-7", "id-9");
    try (Journal j = Journal.open(dir, 1 << 20, 1 << 16)) {
      List<Journal.Entry> left = j.read(100);
      assertThat(left).extracting(e -> e.event().id()).containsExactly("id-2", "id-5", "id-6", "id-7", "id-9");
      left.forEach(e -> j.acknowledge(e.span()));
      j.persist();
      assertThat(j.isDrained()).isTrue();
      assertThat(j.pendingBytes()).isZero();
    }
    assertThat(Files.size(dir.resolve("acks"))).isZero();
    assertThat(Journal.readAll(dir)).isEmpty();
  }

  @Test
  void inOrderAcknowledgementsAcrossSegmentsLeaveNothingToReplay() throws Exception {
    try (Journal j = Journal.open(dir, 1 << 20, 1024)) {
      for (int i = 0; i < 40; i++) {
        j.append(event(i));
      }
      j.flush();
      List<Journal.Entry> all = j.read(100);
      assertThat(all).hasSize(40);
      all.subList(0, 25).forEach(e -> j.acknowledge(e.span()));
      j.persist();
      assertThat(Files.size(dir.resolve("acks"))).isZero(); // in order: only the checkpoint moved
      j.rewind();
      assertThat(j.read(100)).extracting(e -> e.event().id()).first().isEqualTo("id-25");
    }
    try (Journal j = Journal.open(dir, 1 << 20, 1024)) {
      List<Journal.Entry> left = j.read(100);
      assertThat(left).extracting(e -> e.event().id()).first().isEqualTo("id-25");
      assertThat(left).hasSize(15);
      left.forEach(e -> j.acknowledge(e.span()));
      j.persist();
      assertThat(j.isDrained()).isTrue();
    }
    assertThat(Journal.readAll(dir)).isEmpty();
  }

  @Test
  void aRecordLargerThanTheWriteBufferIsWrittenWholeAndInOrder() throws Exception {
    byte[] big = new byte[300 * 1024]; // beyond the 256 KiB write buffer
    java.util.Arrays.fill(big, (byte) 'x');
    Event large = new Event("id-big", "io.edgeway.request.completed.v1", "/edgeway/test", null, 7L, "t", "k", big);
    try (Journal j = Journal.open(dir, 4L << 20, 1 << 20)) {
      j.append(event(0));
      j.append(large);
      j.append(event(1));
      j.flush();
      List<Journal.Entry> read = j.read(10);
      assertThat(read).extracting(e -> e.event().id()).containsExactly("id-0", "id-big", "id-1");
      assertThat(read.get(1).event().data()).isEqualTo(big);
    }
  }

  @Test
  void refusesToGrowBeyondItsBound() throws Exception {
    try (Journal j = Journal.open(dir, 4096, 1024)) {
      int accepted = 0;
      while (j.append(event(accepted)) != null) {
        accepted++;
      }
      assertThat(accepted).isBetween(10, 100);
      assertThat(j.sizeBytes()).isLessThanOrEqualTo(4096);
    }
  }

  @Test
  void oneGatewayPerDirectory() throws Exception {
    try (Journal j = Journal.open(dir, 1 << 20, 1 << 16)) {
      assertThatThrownBy(() -> Journal.open(dir, 1 << 20, 1 << 16)).hasMessageContaining("in use by another gateway");
    }
  }
}
