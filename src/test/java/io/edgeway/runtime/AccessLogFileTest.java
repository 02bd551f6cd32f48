package io.edgeway.runtime;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeway.config.AccessLogFileConfig;
import io.edgeway.spi.DataSize;
import io.edgeway.testing.LogCapture;
import io.edgeway.testing.MutableClock;
import io.edgeway.testing.OnContext;
import io.edgeway.testing.TestGateway;
import io.edgeway.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code access-log.output: file}: through a running gateway (fields, sampling, the drain at stop),
 * and rolling (by size, by day on a clock the test moves, history, restarts, a failing roll).
 */
class AccessLogFileTest {
  @TempDir Path dir;
  private Vertx vertx;
  private TestUpstream upstream;

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    upstream = TestUpstream.start(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    upstream.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static int get(Vertx vertx, HttpClient client, String uri) throws Exception {
    return OnContext.await(vertx, () -> client.request(HttpMethod.GET, uri)
        .compose(req -> req.send()).compose(resp -> resp.body().map(b -> resp.statusCode())), 20);
  }

  @Test
  void linesGoToTheFileWithTheChosenFieldsAndSampledSuccesses() throws Exception {
    Path file = dir.resolve("logs/access.log");
    TestGateway gateway = TestGateway.start(vertx, """
        access-log:
          output: file
          file: { path: %s, max-size: 1MiB, daily: false, max-history: 3 }
          fields: [status, route, error, traceId]
          sample-2xx: 0
        routes:
          - id: app
            match: { path: /app/** }
            upstream: { targets: [ { url: %s } ] }
        """.formatted(file, upstream.url()));
    HttpClient client = gateway.client(vertx);
    try {
      assertThat(get(vertx, client, "/app/ok")).isEqualTo(200);
      assertThat(get(vertx, client, "/nowhere")).isEqualTo(404);
    } finally {
      gateway.close(); // writes the queued lines into the file
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(1);
    JsonObject line = new JsonObject(lines.get(0));
    assertThat(line.fieldNames()).containsExactly("traceId", "route", "status", "error");
    assertThat(line.getInteger("status")).isEqualTo(404);
    assertThat(line.getString("error")).isEqualTo("no_route");
    assertThat(line.getString("traceId")).matches("[0-9a-f]{32}");
  }

  @Test
  void batchesRollBySizeKeepingWholeLinesAndMaxHistoryFiles() throws Exception {
    Path path = dir.resolve("logs/access.log");
    AccessLogFile file = AccessLogFile.open(new AccessLogFileConfig(path.toString(), DataSize.parse("1KiB"), false, 2));
    List<String> written = new ArrayList<>();
    try {
      for (int batch = 0; batch < 5; batch++) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 8; i++) {
          String line = new JsonObject().put("batch", batch).put("i", i).put("path", "/é/" + "x".repeat(150)).encode();
          written.add(line);
          lines.append(line).append('\n');
        }
        byte[] bytes = lines.toString().getBytes(StandardCharsets.UTF_8);
        byte[] reused = Arrays.copyOf(bytes, bytes.length + 100); // the writer's buffer is larger than its batch
        file.write(reused, bytes.length);
      }
    } finally {
      file.close();
    }
    Path rolled1 = dir.resolve("logs/access.1.log");
    Path rolled2 = dir.resolve("logs/access.2.log");
    assertThat(dir.resolve("logs/access.3.log")).as("max-history: 2").doesNotExist();
    // Newest last: the oldest kept file, the newer one, the active file; each holds whole batches.
    List<String> kept = new ArrayList<>();
    for (Path p : List.of(rolled2, rolled1, path)) {
      List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
      assertThat(lines).as(p.toString()).hasSize(8);
      lines.forEach(l -> assertThat(new JsonObject(l).getString("path")).startsWith("/é/"));
      kept.addAll(lines);
    }
    assertThat(kept).containsExactlyElementsOf(written.subList(16, 40));
  }

  /** A clock standing at {@code 2026-12-02T10:00:00Z}; its zone (UTC) tells the day. */
  private static MutableClock morning() {
    return new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
  }

  private static AccessLogFile openDaily(Path path, int maxHistory, MutableClock clock) {
    return AccessLogFile.open(new AccessLogFileConfig(path.toString(), DataSize.parse("1KiB"), true, maxHistory), clock);
  }

  /** Writes {@code line} and its newline as one batch. */
  private static void write(AccessLogFile file, String line) throws IOException {
    byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
    file.write(bytes, bytes.length);
  }

  private static String line(int n, int padding) {
    return new JsonObject().put("n", n).put("pad", "z".repeat(padding)).encode();
  }

  private static List<String> names(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void dailyRollingTakesBatchesToo() throws Exception {
    Path path = dir.resolve("daily/access.log");
    AccessLogFile file = openDaily(path, 3, morning());
    List<String> written = new ArrayList<>();
    try {
      for (int batch = 0; batch < 3; batch++) {
        String line = line(batch, 1100);
        written.add(line);
        write(file, line);
      }
    } finally {
      file.close();
    }
    // Each batch finds the file full (1.1 KiB >= 1 KiB): the first two are rolled, numbered from 0.
    assertThat(names(path.getParent())).containsExactly("access.2026-12-02.0.log", "access.2026-12-02.1.log", "access.log");
    assertThat(Files.readAllLines(path.resolveSibling("access.2026-12-02.0.log"))).containsExactly(written.get(0));
    assertThat(Files.readAllLines(path.resolveSibling("access.2026-12-02.1.log"))).containsExactly(written.get(1));
    assertThat(Files.readAllLines(path)).containsExactly(written.get(2));
  }

  @Test
  void atMidnightTheFileIsRolledUnderTheDayItsLinesWereWritten() throws Exception {
    Path path = dir.resolve("access.log");
    MutableClock clock = new MutableClock(Instant.parse("2026-12-02T23:59:59Z"));
    AccessLogFile file = openDaily(path, 3, clock);
    try {
      write(file, line(0, 10));
      clock.advance(Duration.ofSeconds(2));
      write(file, line(1, 10)); // far below max-size: rolled for the day alone
      write(file, line(2, 10));
    } finally {
      file.close();
    }
    assertThat(names(dir)).containsExactly("access.2026-12-02.0.log", "access.log");
    assertThat(Files.readAllLines(dir.resolve("access.2026-12-02.0.log"))).containsExactly(line(0, 10));
    assertThat(Files.readAllLines(path)).containsExactly(line(1, 10), line(2, 10));
  }

  @Test
  void aFileLeftByAnEarlierRunIsRolledUnderTheDayItWasLastWritten() throws Exception {
    Path path = dir.resolve("access.log");
    Files.writeString(path, line(0, 10) + "\n");
    Files.setLastModifiedTime(path, FileTime.from(Instant.parse("2026-11-30T18:00:00Z")));
    AccessLogFile file = openDaily(path, 3, morning());
    try {
      write(file, line(1, 10));
    } finally {
      file.close();
    }
    assertThat(names(dir)).containsExactly("access.2026-11-30.0.log", "access.log");
    assertThat(Files.readAllLines(dir.resolve("access.2026-11-30.0.log"))).containsExactly(line(0, 10));
    assertThat(Files.readAllLines(path)).containsExactly(line(1, 10));
  }

  @Test
  void dailyHistoryKeepsTodayAndMaxHistoryDaysBeforeAndNeverOverwritesTheDaysFiles() throws Exception {
    Path path = dir.resolve("access.log");
    for (String day : List.of("2026-11-01", "2026-11-27", "2026-11-28", "2026-11-29", "2026-11-30", "2026-12-01")) {
      Files.writeString(dir.resolve("access." + day + ".0.log"), day + "\n");
    }
    // Today's rolled files from an earlier run, and files that only look like ours.
    Files.writeString(dir.resolve("access.2026-12-02.0.log"), "today 0\n");
    Files.writeString(dir.resolve("access.2026-12-02.7.log"), "today 7\n");
    List<String> strangers = List.of("access.2026-13-45.0.log", "access.2026-11-01.0.log.gz", "other.2026-11-01.0.log");
    for (String name : strangers) {
      Files.writeString(dir.resolve(name), "not ours\n");
    }
    AccessLogFile file = openDaily(path, 3, morning());
    try {
      write(file, line(0, 1100));
      write(file, line(1, 10));
    } finally {
      file.close();
    }
    // max-history: 3 keeps 2026-11-29 to 2026-12-01 besides today; the day's numbering goes on after 7.
    assertThat(names(dir)).containsExactlyInAnyOrder("access.2026-11-29.0.log", "access.2026-11-30.0.log",
        "access.2026-12-01.0.log", "access.2026-12-02.0.log", "access.2026-12-02.7.log", "access.2026-12-02.8.log",
        "access.log", strangers.get(0), strangers.get(1), strangers.get(2));
    assertThat(Files.readAllLines(dir.resolve("access.2026-12-02.0.log"))).containsExactly("today 0");
    assertThat(Files.readAllLines(dir.resolve("access.2026-12-02.7.log"))).containsExactly("today 7");
    assertThat(Files.readAllLines(dir.resolve("access.2026-12-02.8.log"))).containsExactly(line(0, 1100));
  }

  /**
   * Many batches around max-size, a restart after every few and midnights between some: every line
   * is in exactly one file, and reading the rolled files by day and number, then the active file,
   * gives the lines in the order written (a rolled file replaced or deleted would break both). The
   * same runs through logback's rolling policy, used before, lost lines in 4 and 5 runs of 40.
   */
  @Test
  void everyLineIsInExactlyOneFileInOrderThroughRollsRestartsAndMidnights() throws Exception {
    Path path = dir.resolve("access.log");
    MutableClock clock = morning();
    Random random = new Random(42);
    List<String> written = new ArrayList<>();
    Instant lastWrite = clock.instant();
    for (int run = 0; run < 40; run++) {
      AccessLogFile file = openDaily(path, 3650, clock);
      try {
        for (int batch = 0; batch < 6; batch++) {
          StringBuilder lines = new StringBuilder();
          for (int i = random.nextInt(3); i >= 0; i--) {
            String line = line(written.size(), random.nextInt(700));
            written.add(line);
            lines.append(line).append('\n');
          }
          byte[] bytes = lines.toString().getBytes(StandardCharsets.UTF_8);
          file.write(Arrays.copyOf(bytes, bytes.length + 50), bytes.length);
          lastWrite = clock.instant();
          clock.advance(Duration.ofMinutes(random.nextInt(180)));
        }
      } finally {
        file.close();
      }
      // What the file system's clock would have said: the next run rolls the file under that day.
      Files.setLastModifiedTime(path, FileTime.from(lastWrite));
    }
    Pattern rolled = Pattern.compile("access\\.(\\d{4}-\\d\\d-\\d\\d)\\.(\\d+)\\.log");
    List<Path> inOrder = new ArrayList<>();
    try (var files = Files.list(dir)) {
      files.filter(p -> !p.equals(path)).sorted(Comparator.comparing((Path p) -> {
        Matcher m = rolled.matcher(p.getFileName().toString());
        assertThat(m.matches()).as(p.toString()).isTrue();
        return m.group(1) + String.format("%09d", Integer.parseInt(m.group(2)));
      })).forEach(inOrder::add);
    }
    assertThat(inOrder.stream().map(p -> p.getFileName().toString().substring(7, 17)).distinct().count())
        .as("days with rolled files").isGreaterThan(5);
    inOrder.add(path);
    List<String> found = new ArrayList<>();
    for (Path p : inOrder) {
      List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
      assertThat(lines).as(p + " is not empty").isNotEmpty();
      found.addAll(lines);
    }
    assertThat(found).containsExactlyElementsOf(written);
  }

  @Test
  void aRollThatFailsKeepsTheLinesInTheFileAndIsTriedAgain() throws Exception {
    Path path = dir.resolve("access.log");
    Path oldest = dir.resolve("access.2.log");
    Files.createDirectories(oldest.resolve("in-the-way")); // a directory that is not empty cannot be deleted
    AccessLogFile file = AccessLogFile.open(new AccessLogFileConfig(path.toString(), DataSize.parse("1KiB"), false, 2));
    try (LogCapture warnings = LogCapture.of(AccessLogFile.class)) {
      write(file, line(0, 1100));
      write(file, line(1, 1100));
      write(file, line(2, 1100));
      assertThat(Files.readAllLines(path)).containsExactly(line(0, 1100), line(1, 1100), line(2, 1100));
      assertThat(warnings.messages()).hasSize(1).allMatch(m -> m.startsWith("access log: rolling " + path + " failed"));
      Files.delete(oldest.resolve("in-the-way"));
      write(file, line(3, 10));
    } finally {
      file.close();
    }
    assertThat(names(dir)).containsExactly("access.1.log", "access.log");
    assertThat(Files.readAllLines(dir.resolve("access.1.log"))).containsExactly(line(0, 1100), line(1, 1100), line(2, 1100));
    assertThat(Files.readAllLines(path)).containsExactly(line(3, 10));
  }

  @Test
  void aPathThatCannotBeOpenedIsReportedWithItsKey() throws Exception {
    Path directory = Files.createDirectories(dir.resolve("access.log"));
    assertThatThrownBy(() -> AccessLogFile.open(
        new AccessLogFileConfig(directory.toString(), DataSize.parse("1KiB"), true, 3)))
        .hasMessage("access-log.file.path: " + directory + ": cannot open it for writing");
  }

  @Test
  void anAccessLogThatIsOffWritesNothing() throws Exception {
    Path file = dir.resolve("access.log");
    TestGateway gateway = TestGateway.start(vertx, """
        access-log: { enabled: false, output: file, file: { path: %s } }
        """.formatted(file));
    try {
      assertThat(get(vertx, gateway.client(vertx), "/nowhere")).isEqualTo(404);
    } finally {
      gateway.close();
    }
    assertThat(file).doesNotExist();
  }
}
