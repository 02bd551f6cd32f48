package io.edgeway.events;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code edgeway events tail [--dir DIR] [--follow]}: prints the events waiting in a journal, one
 * CloudEvent (JSON format) per line, oldest first. Reads without locking, so it works beside a
 * running gateway; with {@code --follow} it prints new records as they are appended.
 */
public final class EventsCommand {
  static final String USAGE = """
      usage: java -jar edgeway.jar events tail [--dir DIR] [--follow]
             java -jar edgeway.jar events count --bootstrap HOST:PORT --topic TOPIC
        --dir DIR   the journal directory (default: data/journal, as events.journal.dir)
        --follow    keep printing new events (Ctrl-C to stop)
        count       print how many records the topic holds (all partitions)""";

  private EventsCommand() {}

  /** Runs the subcommand; returns the exit code (0 ok, 64 usage, 1 unreadable journal). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length > 0 && args[0].equals("count")) {
      return count(args, out, err);
    }
    if (args.length == 0 || !args[0].equals("tail")) {
      err.println(USAGE);
      return 64;
    }
    Path dir = Path.of("data/journal");
    boolean follow = false;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--dir" -> {
          if (i + 1 >= args.length) {
            err.println("edgeway events: --dir needs a directory\n" + USAGE);
            return 64;
          }
          dir = Path.of(args[++i]);
        }
        case "--follow", "-f" -> follow = true;
        default -> {
          err.println("edgeway events: unknown argument '" + args[i] + "'\n" + USAGE);
          return 64;
        }
      }
    }
    try {
      java.util.Set<String> seen = new java.util.HashSet<>();
      do {
        List<Event> events = Journal.readAll(dir);
        for (Event e : events) {
          if (seen.add(e.id())) {
            out.println(e.structuredJson());
          }
        }
        out.flush();
        if (follow) {
          Thread.sleep(500);
        }
      } while (follow);
      return 0;
    } catch (IOException e) {
      err.println("edgeway events: " + dir + ": " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /**
   * {@code events count}: the number of records a topic holds (end minus beginning offsets over
   * all partitions), e.g. to check after a load test that every request's event arrived.
   */
  static int count(String[] args, PrintStream out, PrintStream err) {
    String bootstrap = null;
    String topic = null;
    for (int i = 1; i < args.length; i++) {
      if (i + 1 < args.length && args[i].equals("--bootstrap")) {
        bootstrap = args[++i];
      } else if (i + 1 < args.length && args[i].equals("--topic")) {
        topic = args[++i];
      } else {
        err.println("edgeway events: unknown argument '" + args[i] + "'\n" + USAGE);
        return 64;
      }
    }
    if (bootstrap == null || topic == null) {
      err.println("edgeway events: count needs --bootstrap and --topic\n" + USAGE);
      return 64;
    }
    Map<String, Object> props = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.CLIENT_ID_CONFIG, "edgeway-events-count");
    try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      Duration timeout = Duration.ofSeconds(15);
      List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition()))
          .toList();
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
      long records = 0;
      for (TopicPartition partition : partitions) {
        records += end.get(partition) - begin.get(partition);
      }
      out.println(records);
      return 0;
    } catch (KafkaException e) {
      err.println("edgeway events: count: " + e.getMessage());
      return 1;
    }
  }
}
