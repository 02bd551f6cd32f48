package io.edgeway.examples.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.LoggerFactory;

/**
 * A downstream service with its own database, consuming Edgeway's request events effectively once:
 *
 * <ol>
 *   <li>poll a batch;
 *   <li>in ONE SQLite transaction: apply each new event to the projection, record its {@code ce_id}
 *       (a duplicate finds its id and changes nothing), and store the next offset per partition;
 *   <li>after the commit, commit the same offsets to Kafka (for lag monitoring; the database stays
 *       the source of truth).
 * </ol>
 *
 * On start, and whenever partitions are assigned, it seeks to the offsets in its database, so a
 * crash anywhere (before, inside or after the transaction, before the Kafka commit) loses nothing
 * and counts nothing twice. {@code GET /stats} serves the projection.
 *
 * <pre>java -cp ... io.edgeway.examples.stats.RequestStatsService BOOTSTRAP TOPIC DB_FILE HTTP_PORT [MAX_POLL_RECORDS]</pre>
 */
public final class RequestStatsService implements AutoCloseable {
  /** v1 of request.completed, including newer revisions (extra fields, or a minor suffix such as v1.2). */
  static final Pattern ACCEPTED = Pattern.compile("io\\.edgeway\\.request\\.completed\\.v1(\\.\\d+)?");

  private final StatsDatabase db;
  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;
  private final HttpServer http;
  private final Thread loop;
  private volatile boolean running = true;

  RequestStatsService(String bootstrap, String topic, Path dbFile, int httpPort, int maxPollRecords)
      throws SQLException, IOException {
    this.db = new StatsDatabase(dbFile);
    this.topic = topic;
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "request-stats");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
    this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    this.http = HttpServer.create(new InetSocketAddress("127.0.0.1", httpPort), 0);
    http.createContext("/stats", exchange -> {
      byte[] body;
      int status = 200;
      try {
        body = db.toJson().toString().getBytes(StandardCharsets.UTF_8);
      } catch (SQLException e) {
        status = 500;
        body = ("{\"error\":\"" + e.getMessage().replace("\"", "'") + "\"}").getBytes(StandardCharsets.UTF_8);
      }
      exchange.getResponseHeaders().set("content-type", "application/json");
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    this.loop = new Thread(this::run, "request-stats-consumer");
  }

  int httpPort() {
    return http.getAddress().getPort();
  }

  void start() {
    http.start();
    consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        // Resume from the database, not from Kafka's committed offsets: a crash between the
        // transaction and the Kafka commit leaves Kafka behind.
        try {
          Map<Integer, Long> saved = db.offsets(topic);
          for (TopicPartition tp : partitions) {
            Long next = saved.get(tp.partition());
            if (next != null) {
              consumer.seek(tp, next);
            }
          }
        } catch (SQLException e) {
          throw new IllegalStateException("offsets from the database: " + e.getMessage(), e);
        }
      }
    });
    loop.start();
  }

  private void run() {
    try {
      while (running) {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
        if (records.isEmpty()) {
          continue;
        }
        List<StatsDatabase.Applied> events = new ArrayList<>(records.count());
        Map<TopicPartition, Long> next = new HashMap<>();
        int skipped = 0;
        for (ConsumerRecord<String, byte[]> r : records) {
          next.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
          StatsDatabase.Applied e = decode(r);
          if (e == null) {
            skipped++;
          } else {
            events.add(e);
          }
        }
        db.apply(events, skipped, next);
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        next.forEach((tp, offset) -> commit.put(tp, new OffsetAndMetadata(offset)));
        consumer.commitSync(commit);
      }
    } catch (WakeupException stopping) {
      // close() woke the poll
    } catch (SQLException | RuntimeException e) {
      LoggerFactory.getLogger(RequestStatsService.class).error("request-stats: consumer loop failed", e);
      Runtime.getRuntime().halt(1); // restart from the database rather than run on half-broken
    } finally {
      consumer.close();
    }
  }

  /** The event's effect, or null for a record to skip (another type, a newer major version, not a CloudEvent). */
  static StatsDatabase.Applied decode(ConsumerRecord<String, byte[]> record) {
    CloudEventRecord e = CloudEventRecord.of(record);
    if (e.id() == null || e.type() == null || !ACCEPTED.matcher(e.type()).matches() || e.data() == null
        || !e.data().isObject()) {
      return null;
    }
    JsonNode data = e.data();
    // Unknown fields (a newer revision of v1) are ignored: only what the projection needs is read.
    String route = data.path("route").isTextual() ? data.get("route").asText() : "(no route)";
    int status = data.path("status").asInt(0);
    JsonNode total = data.path("timings").path("totalMs");
    return new StatsDatabase.Applied(e.id(), route, status, total.isNumber() ? total.asDouble() : null);
  }

  @Override
  public void close() throws Exception {
    running = false;
    consumer.wakeup();
    loop.join(10_000);
    http.stop(0);
    db.close();
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 4) {
      System.err.println("usage: RequestStatsService BOOTSTRAP TOPIC DB_FILE HTTP_PORT [MAX_POLL_RECORDS]");
      System.exit(2);
    }
    RequestStatsService service = new RequestStatsService(args[0], args[1], Path.of(args[2]),
        Integer.parseInt(args[3]), args.length > 4 ? Integer.parseInt(args[4]) : 500);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        service.close();
      } catch (Exception e) {
        System.err.println("request-stats: " + e);
      }
    }));
    service.start();
    // The command's own output on stdout, not a log line: with port 0 it is how a caller (the
    // kill-and-restart test) learns the port.
    System.out.println("request-stats on http://127.0.0.1:" + service.httpPort() + "/stats");
  }
}
