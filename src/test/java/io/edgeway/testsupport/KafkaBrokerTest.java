package io.edgeway.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerTest {

  private static final Duration CLIENT_DEADLINE = Duration.ofSeconds(30);

  @TempDir
  Path tempDir;

  @Test
  void keepsItsAddressAndRecordsAcrossKillAndRestart() throws Exception {
    String topic = "testsupport-" + UUID.randomUUID();
    try (KafkaBroker broker = KafkaBroker.start(tempDir.resolve("kafka"))) {
      String bootstrap = broker.bootstrapServers();
      assertThat(bootstrap).isEqualTo("127.0.0.1:" + broker.port());
      assertThat(broker.isRunning()).isTrue();

      RecordMetadata written = produce(bootstrap, topic, "order-1", "created");
      assertThat(written.offset()).isZero();
      assertThat(consume(bootstrap, topic, 1)).containsExactly("order-1=created");

      broker.kill();
      assertThat(broker.isRunning()).isFalse();
      assertThat(acceptsConnections(broker.port())).isFalse();

      broker.restart();
      assertThat(broker.isRunning()).isTrue();
      assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);
      assertThat(consume(bootstrap, topic, 1)).containsExactly("order-1=created");
    }
  }

  @Test
  void rejectsAPortOutOfRange() {
    assertThatThrownBy(() -> KafkaBroker.start(tempDir, 70000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port: 70000 (expected: 0 for a free port, or 1-65535)");
  }

  private static RecordMetadata produce(String bootstrap, String topic, String key, String value) throws Exception {
    Map<String, Object> config = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) CLIENT_DEADLINE.toMillis(),
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) CLIENT_DEADLINE.toMillis());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      return producer.send(new ProducerRecord<>(topic, key, value)).get(CLIENT_DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }
  }

  /** Reads partition 0 from the beginning until {@code expected} records arrived or the deadline passed. */
  private static List<String> consume(String bootstrap, String topic, int expected) {
    Map<String, Object> config = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<String> received = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      Instant deadline = Instant.now().plus(CLIENT_DEADLINE);
      while (received.size() < expected && Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          received.add(record.key() + "=" + record.value());
        }
      }
    }
    return received;
  }

  private static boolean acceptsConnections(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }
}
