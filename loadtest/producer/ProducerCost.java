import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What KafkaProducer alone costs per record, with the events scenario's producer settings and a
 * real request event, at a steady rate like the gateway's publisher (a slice every 5 ms). Prints
 * the CPU time of this whole process (the sending thread, the producer's network thread, GC and
 * JIT) per acknowledged record, round by round; run it pinned to one core (producer-cost.sh).
 *
 *   java -cp target/edgeway.jar loadtest/producer/ProducerCost.java BOOTSTRAP MODE [RATE] [ROUNDS] [PER_ROUND]
 *   MODE: binary (seven ce_* headers) | structured (one header) | binary-uncompressed
 *   -Dproducer.NAME=VALUE before the source file overrides a producer property (PRODUCER_OPTS in producer-cost.sh)
 */
public class ProducerCost {
  private static final byte[] DATA = ("{\"requestId\":\"5f1d0c8e-2f7a-4d8e-9c1b-3a6e2b7d9f01\",\"traceId\":"
      + "\"4bf92f3577b34da6a3ce929d0e0e4736\",\"route\":\"bench\",\"method\":\"GET\",\"path\":\"/bench/x\","
      + "\"host\":\"127.0.0.1\",\"clientIp\":\"127.0.0.1\",\"consumer\":null,\"status\":200,\"errorCode\":null,"
      + "\"upstreamTarget\":\"http://127.0.0.1:18081\",\"attempts\":1,\"timings\":{\"totalMs\":0.412,"
      + "\"upstreamMs\":0.301,\"gatewayMs\":0.111},\"bytesIn\":0,\"bytesOut\":55,\"cacheStatus\":null,"
      + "\"rateLimit\":null,\"breakerState\":null,\"clientAborted\":false,\"requestHeaders\":{\"User-Agent\":\"wrk\"}}")
      .getBytes(StandardCharsets.UTF_8);
  private static final Header SPEC = new RecordHeader("ce_specversion", bytes("1.0"));
  private static final Header SOURCE = new RecordHeader("ce_source", bytes("/edgeway/bench"));
  private static final Header TYPE = new RecordHeader("ce_type", bytes("io.edgeway.request.completed.v1"));
  private static final Header SUBJECT = new RecordHeader("ce_subject", bytes("bench"));
  private static final Header JSON = new RecordHeader("content-type", bytes("application/json"));
  private static final Header CE_JSON = new RecordHeader("content-type", bytes("application/cloudevents+json; charset=UTF-8"));

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String mode = args[1];
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 30_000;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 24;
    int perRound = args.length > 4 ? Integer.parseInt(args[4]) : 150_000;
    boolean structured = mode.equals("structured");
    Map<String, Object> p = new HashMap<>();
    p.put("bootstrap.servers", bootstrap);
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.put("compression.type", mode.equals("binary-uncompressed") ? "none" : "lz4");
    p.put("linger.ms", "5");
    p.put("batch.size", "262144");
    // -Dproducer.NAME=VALUE overrides any producer property (e.g. -Dproducer.linger.ms=20).
    System.getProperties().stringPropertyNames().stream().filter(n -> n.startsWith("producer."))
        .forEach(n -> p.put(n.substring("producer.".length()), System.getProperty(n)));
    byte[] structuredValue = ("{\"specversion\":\"1.0\",\"id\":\"5f1d0c8e-2f7a-4d8e-9c1b-3a6e2b7d9f01\",\"source\":"
        + "\"/edgeway/bench\",\"type\":\"io.edgeway.request.completed.v1\",\"subject\":\"bench\",\"time\":"
        + "\"2026-11-27T02:00:00.000Z\",\"datacontenttype\":\"application/json\",\"data\":"
        + new String(DATA, StandardCharsets.UTF_8) + "}").getBytes(StandardCharsets.UTF_8);
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    AtomicLong acked = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    String topic = "producer-cost-" + mode;
    List<Double> perRecord = new ArrayList<>();
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      int perSlice = Math.max(1, rate / 200);
      long sent = 0;
      for (int round = 1; round <= rounds; round++) {
        long cpu0 = os.getProcessCpuTime();
        long target = sent + perRound;
        while (sent < target) {
          for (int i = 0; i < perSlice && sent < target; i++, sent++) {
            RecordHeaders headers = new RecordHeaders();
            byte[] value;
            if (structured) {
              headers.add(CE_JSON);
              value = structuredValue;
            } else {
              headers.add(SPEC);
              headers.add("ce_id", bytes("5f1d0c8e-2f7a-4d8e-9c1b-" + (100_000_000_000L + sent)));
              headers.add(SOURCE);
              headers.add(TYPE);
              headers.add("ce_time", bytes("2026-11-27T02:00:00.000Z"));
              headers.add(SUBJECT);
              headers.add(JSON);
              value = DATA;
            }
            producer.send(new ProducerRecord<>(topic, null, System.currentTimeMillis(), "bench", value, headers),
                (metadata, e) -> (e == null ? acked : failed).incrementAndGet());
          }
          LockSupport.parkNanos(5_000_000);
        }
        while (acked.get() + failed.get() < sent) {
          Thread.sleep(1);
        }
        double us = (os.getProcessCpuTime() - cpu0) / 1000.0 / perRound;
        perRecord.add(us);
        System.out.printf("%s round %2d: %.2f us CPU per record%n", mode, round, us);
      }
    }
    if (failed.get() > 0) {
      System.out.println(mode + ": " + failed.get() + " records failed");
      System.exit(1);
    }
    // The Kafka client is a lot of code: on one core, C2 is still compiling it after a minute.
    List<Double> warm = new ArrayList<>(perRecord.subList(perRecord.size() * 2 / 3, perRecord.size()));
    double[] sorted = warm.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    System.out.printf("%s: median of the last %d rounds %.2f us CPU per record (min %.2f, max %.2f)%n", mode,
        sorted.length, sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1]);
    System.out.println(Arrays.toString(sorted));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
