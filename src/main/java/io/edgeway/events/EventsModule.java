package io.edgeway.events;

import io.edgeway.config.ConfigDiff;
import io.edgeway.config.ConfigSection;
import io.edgeway.config.GatewayConfig;
import io.edgeway.runtime.GatewayModule;
import io.edgeway.runtime.StateEvents;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request and state events (issue 7, issue 19). On start: opens one journal and one sender per
 * configured broker (Kafka, RabbitMQ, both, or neither: journal only) off the event loop, starts a
 * publisher thread per broker, observes every completed exchange, replaces the {@link StateEvents}
 * service and adds {@code GET /events/stats} to the admin API.
 *
 * <p>Each broker has its own pipeline and journal, so one broker's outage never holds the other
 * back and each knows which records its broker acknowledged. The first broker (Kafka when
 * configured) journals in {@code journal.dir}, where a journal-only run left its backlog; RabbitMQ
 * beside Kafka journals in {@code journal.dir/rabbitmq}.
 */
public final class EventsModule implements GatewayModule {
  private static final Logger log = LoggerFactory.getLogger(EventsModule.class);

  private volatile List<EventPipeline> pipelines = List.of();
  private volatile RequestEvents requestEvents;

  @Override
  public String name() {
    return "events";
  }

  @Override
  public Optional<ConfigSection<?>> section() {
    return Optional.of(EventsConfig.SECTION);
  }

  /**
   * {@code events.include} applies while running (what the next request events carry); everything
   * else (Kafka, topics, journal directory and sizes, queue) belongs to the started pipeline and
   * needs a restart.
   */
  @Override
  public List<ConfigDiff.Change> restartRequired(GatewayConfig running, GatewayConfig next) {
    return GatewayModule.changes(EventsConfig.SECTION, running, next).stream()
        .filter(change -> !change.path().startsWith("events.include."))
        .toList();
  }

  @Override
  public void reload(GatewayConfig next) {
    RequestEvents events = requestEvents;
    if (events != null) {
      events.include(next.section(EventsConfig.SECTION).include());
    }
  }

  @Override
  public Future<Void> start(Context context) {
    EventsConfig config = context.config().section(EventsConfig.SECTION);
    if (!config.enabled()) {
      return Future.succeededFuture();
    }
    return context.vertx().<List<EventPipeline>>executeBlocking(() -> open(config), false).map(ps -> {
      pipelines = ps;
      ps.forEach(EventPipeline::start);
      Consumer<Event> offer = ps.size() == 1 ? ps.get(0)::offer : e -> ps.forEach(p -> p.offer(e));
      StateEvents previous = context.services().find(StateEvents.class).orElse(null);
      context.services().register(StateEvents.class,
          new CloudStateEvents(config, previous, offer, System::currentTimeMillis));
      RequestEvents requestEvents = new RequestEvents(config, offer, System::currentTimeMillis);
      this.requestEvents = requestEvents;
      context.runtime().addObserver(requestEvents);
      // The metrics show the first broker's pipeline (Kafka when configured); /events/stats shows each.
      context.runtime().addMetricSource(ps.get(0)::collect);
      if (context.admin() != null) {
        context.admin().register("/events/stats", req -> Future.succeededFuture(statsJson(ps)));
      }
      log.info("events: {}{} (journal {}, max {})",
          config.kafka().configured() ? "to Kafka " + config.kafka().bootstrapServers() + " topics "
              + config.kafka().topic() + ", " + config.kafka().stateTopic() : "",
          config.rabbitmq().configured() ? (config.kafka().configured() ? " and " : "") + "to RabbitMQ "
              + config.rabbitmq().address() + " exchanges " + config.rabbitmq().exchange() + ", "
              + config.rabbitmq().stateExchange() : config.kafka().configured() ? "" : "journal only (no broker configured)",
          config.journal().dir(), config.journal().maxSize());
      return null;
    });
  }

  /** Opens the journals and senders; closes what it opened if one fails. Blocking. */
  private static List<EventPipeline> open(EventsConfig config) throws Exception {
    JournalConfig j = config.journal();
    List<EventPipeline> out = new ArrayList<>();
    List<Journal> opened = new ArrayList<>();
    try {
      Path dir = Path.of(j.dir());
      if (config.kafka().configured()) {
        Journal journal = Journal.open(dir, j.maxSize().bytes(), j.segmentSize().bytes());
        opened.add(journal);
        EventSender sender;
        try {
          sender = new KafkaSender(config.kafka());
        } catch (RuntimeException e) {
          throw new IllegalArgumentException("events.kafka: " + e.getMessage(), e);
        }
        out.add(new EventPipeline("kafka", journal, sender, config.queueSize(), config.kafka().stallTimeout(),
            j.fsync(), config.flushTimeout(), config.publishInterval()));
      }
      if (config.rabbitmq().configured()) {
        Path rabbitDir = config.kafka().configured() ? dir.resolve("rabbitmq") : dir;
        Journal journal = Journal.open(rabbitDir, j.maxSize().bytes(), j.segmentSize().bytes());
        opened.add(journal);
        out.add(new EventPipeline("rabbitmq", journal, new RabbitMqSender(config.rabbitmq()), config.queueSize(),
            config.rabbitmq().stallTimeout(), j.fsync(), config.flushTimeout(), config.publishInterval()));
      }
      if (out.isEmpty()) {
        Journal journal = Journal.open(dir, j.maxSize().bytes(), j.segmentSize().bytes());
        opened.add(journal);
        out.add(new EventPipeline("journal", journal, null, config.queueSize(), config.kafka().stallTimeout(),
            j.fsync(), config.flushTimeout(), config.publishInterval()));
      }
      return List.copyOf(out);
    } catch (Exception | Error e) {
      opened.forEach(Journal::close);
      throw e;
    }
  }

  /**
   * The first pipeline's statistics at the top level (the shape the endpoint always had), and
   * each broker's under its name when there are two.
   */
  static JsonObject statsJson(List<EventPipeline> ps) {
    JsonObject first = ps.get(0).statsJson().put("broker", ps.get(0).name());
    for (int i = 1; i < ps.size(); i++) {
      first.put(ps.get(i).name(), ps.get(i).statsJson());
    }
    return first;
  }

  @Override
  public Future<Void> stop() {
    List<EventPipeline> ps = pipelines;
    if (ps.isEmpty()) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    CompletableFuture.allOf(ps.stream().map(EventPipeline::stop).toArray(CompletableFuture[]::new))
        .whenComplete((v, e) -> {
          if (e == null) {
            promise.complete();
          } else {
            promise.fail(e);
          }
        });
    return promise.future();
  }

  /** The running pipelines (tests). */
  List<EventPipeline> pipelines() {
    return pipelines;
  }

  /** The first running pipeline (tests). */
  EventPipeline pipeline() {
    List<EventPipeline> ps = pipelines;
    return ps.isEmpty() ? null : ps.get(0);
  }
}
