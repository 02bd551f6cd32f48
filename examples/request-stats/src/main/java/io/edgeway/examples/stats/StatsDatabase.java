package io.edgeway.examples.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * The service's own database (SQLite, one file): the projection (per-route request, client-error
 * and server-error counts, a latency histogram), the ids of the events applied, and the next Kafka
 * offset per partition. {@link #apply} writes a whole poll's worth in ONE transaction: an event
 * counts exactly when its id is recorded, and the offsets move with them, so a crash at any point
 * leaves either all of a batch or none of it, and a redelivered event finds its id and changes
 * nothing. One connection, used under this object's lock (the consumer thread writes, the HTTP
 * thread reads).
 */
final class StatsDatabase implements AutoCloseable {
  /** Upper bounds of the latency buckets in milliseconds; the last bucket is everything above. */
  static final double[] BUCKETS_MS = {1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000};
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One event's effect on the projection. */
  record Applied(String ceId, String route, int status, Double totalMs) {}

  /** What a batch did: events applied, duplicates found, records skipped (unknown types, not CloudEvents). */
  record BatchResult(int applied, int duplicates, int skipped) {}

  private final Connection db;

  StatsDatabase(Path file) throws SQLException {
    db = DriverManager.getConnection("jdbc:sqlite:" + file);
    try (Statement s = db.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      // FULL: a committed transaction survives a power cut too, not only a killed process.
      s.execute("PRAGMA synchronous=FULL");
      s.execute("CREATE TABLE IF NOT EXISTS applied_events (ce_id TEXT PRIMARY KEY)");
      s.execute("CREATE TABLE IF NOT EXISTS route_stats (route TEXT PRIMARY KEY, requests INTEGER NOT NULL,"
          + " client_errors INTEGER NOT NULL, server_errors INTEGER NOT NULL)");
      s.execute("CREATE TABLE IF NOT EXISTS latency_histogram (route TEXT NOT NULL, bucket INTEGER NOT NULL,"
          + " count INTEGER NOT NULL, PRIMARY KEY (route, bucket))");
      s.execute("CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)");
      s.execute("CREATE TABLE IF NOT EXISTS kafka_offsets (topic TEXT NOT NULL, partition INTEGER NOT NULL,"
          + " next_offset INTEGER NOT NULL, PRIMARY KEY (topic, partition))");
    }
    db.setAutoCommit(false);
    db.commit();
  }

  /**
   * Applies a batch and records where the consumer stands, in one transaction. Events whose id is
   * already recorded count as duplicates and change nothing.
   */
  synchronized BatchResult apply(List<Applied> events, int skipped, Map<TopicPartition, Long> nextOffsets) throws SQLException {
    int applied = 0;
    int duplicates = 0;
    try (PreparedStatement id = db.prepareStatement("INSERT OR IGNORE INTO applied_events (ce_id) VALUES (?)");
        PreparedStatement route = db.prepareStatement("INSERT INTO route_stats VALUES (?, 1, ?, ?) ON CONFLICT (route)"
            + " DO UPDATE SET requests = requests + 1, client_errors = client_errors + excluded.client_errors,"
            + " server_errors = server_errors + excluded.server_errors");
        PreparedStatement latency = db.prepareStatement("INSERT INTO latency_histogram VALUES (?, ?, 1)"
            + " ON CONFLICT (route, bucket) DO UPDATE SET count = count + 1");
        PreparedStatement offset = db.prepareStatement("INSERT INTO kafka_offsets VALUES (?, ?, ?)"
            + " ON CONFLICT (topic, partition) DO UPDATE SET next_offset = excluded.next_offset")) {
      for (Applied e : events) {
        id.setString(1, e.ceId());
        if (id.executeUpdate() == 0) {
          duplicates++;
          continue;
        }
        applied++;
        route.setString(1, e.route());
        route.setInt(2, e.status() >= 400 && e.status() < 500 ? 1 : 0);
        route.setInt(3, e.status() >= 500 ? 1 : 0);
        route.executeUpdate();
        if (e.totalMs() != null) {
          latency.setString(1, e.route());
          latency.setInt(2, bucket(e.totalMs()));
          latency.executeUpdate();
        }
      }
      for (Map.Entry<TopicPartition, Long> o : nextOffsets.entrySet()) {
        offset.setString(1, o.getKey().topic());
        offset.setInt(2, o.getKey().partition());
        offset.setLong(3, o.getValue());
        offset.executeUpdate();
      }
      add("duplicates", duplicates);
      add("skipped", skipped);
      db.commit();
      return new BatchResult(applied, duplicates, skipped);
    } catch (SQLException | RuntimeException e) {
      db.rollback();
      throw e;
    }
  }

  private void add(String counter, long delta) throws SQLException {
    if (delta == 0) {
      return;
    }
    try (PreparedStatement s = db.prepareStatement("INSERT INTO counters VALUES (?, ?) ON CONFLICT (name)"
        + " DO UPDATE SET value = value + excluded.value")) {
      s.setString(1, counter);
      s.setLong(2, delta);
      s.executeUpdate();
    }
  }

  /** Where to resume: the next offset per partition of {@code topic}, as the last transaction left it. */
  synchronized Map<Integer, Long> offsets(String topic) throws SQLException {
    Map<Integer, Long> out = new HashMap<>();
    try (PreparedStatement s = db.prepareStatement("SELECT partition, next_offset FROM kafka_offsets WHERE topic = ?")) {
      s.setString(1, topic);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.put(r.getInt(1), r.getLong(2));
        }
      }
    }
    db.commit();
    return out;
  }

  /** The projection as JSON: per route counts and latency percentiles (bucket upper bounds). */
  synchronized ObjectNode toJson() throws SQLException {
    ObjectNode out = JSON.createObjectNode();
    ObjectNode routes = out.putObject("routes");
    Map<String, long[]> histograms = new TreeMap<>();
    try (Statement s = db.createStatement()) {
      try (ResultSet r = s.executeQuery("SELECT route, bucket, count FROM latency_histogram")) {
        while (r.next()) {
          histograms.computeIfAbsent(r.getString(1), k -> new long[BUCKETS_MS.length + 1])[r.getInt(2)] = r.getLong(3);
        }
      }
      try (ResultSet r = s.executeQuery("SELECT route, requests, client_errors, server_errors FROM route_stats ORDER BY route")) {
        while (r.next()) {
          ObjectNode route = routes.putObject(r.getString(1));
          route.put("requests", r.getLong(2)).put("clientErrors", r.getLong(3)).put("serverErrors", r.getLong(4));
          long[] h = histograms.getOrDefault(r.getString(1), new long[BUCKETS_MS.length + 1]);
          ObjectNode latency = route.putObject("latencyMs");
          latency.set("p50", percentile(h, 0.50));
          latency.set("p90", percentile(h, 0.90));
          latency.set("p99", percentile(h, 0.99));
          ObjectNode histogram = route.putObject("histogram");
          for (int i = 0; i < h.length; i++) {
            histogram.put(i < BUCKETS_MS.length ? "le" + fmt(BUCKETS_MS[i]) : "inf", h[i]);
          }
        }
      }
      try (ResultSet r = s.executeQuery("SELECT count(*) FROM applied_events")) {
        out.put("applied", r.next() ? r.getLong(1) : 0);
      }
      try (ResultSet r = s.executeQuery("SELECT name, value FROM counters")) {
        out.put("duplicates", 0).put("skipped", 0);
        while (r.next()) {
          out.put(r.getString(1), r.getLong(2));
        }
      }
    }
    db.commit();
    return out;
  }

  static int bucket(double ms) {
    for (int i = 0; i < BUCKETS_MS.length; i++) {
      if (ms <= BUCKETS_MS[i]) {
        return i;
      }
    }
    return BUCKETS_MS.length;
  }

  private static JsonNode percentile(long[] histogram, double q) {
    long total = 0;
    for (long c : histogram) {
      total += c;
    }
    if (total == 0) {
      return JSON.nullNode();
    }
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < histogram.length; i++) {
      seen += histogram[i];
      if (seen >= rank) {
        return i < BUCKETS_MS.length ? JSON.getNodeFactory().numberNode(BUCKETS_MS[i]) : JSON.getNodeFactory().textNode("inf");
      }
    }
    return JSON.nullNode();
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  @Override
  public void close() throws SQLException {
    db.close();
  }
}
