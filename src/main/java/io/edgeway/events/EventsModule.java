package io.edgeway.events;

import io.edgeway.config.ConfigDiff;
import io.edgeway.config.ConfigSection;
import io.edgeway.config.GatewayConfig;
import io.edgeway.runtime.GatewayModule;
import io.edgeway.runtime.StateEvents;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request and state events (issue 7). On start: opens the journal and the Kafka producer off the
 * event loop, starts the publisher thread, observes every completed exchange, replaces the
 * {@link StateEvents} service and adds {@code GET /events/stats} to the admin API.
 */
public final class EventsModule implements GatewayModule {
  private static final Logger log = LoggerFactory.getLogger(EventsModule.class);

  private volatile EventPipeline pipeline;
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
    return context.vertx().<EventPipeline>executeBlocking(() -> {
      JournalConfig j = config.journal();
      Journal journal = Journal.open(Path.of(j.dir()), j.maxSize().bytes(), j.segmentSize().bytes());
      EventSender sender;
      try {
        sender = config.kafka().configured() ? new KafkaSender(config.kafka()) : null;
      } catch (RuntimeException e) {
        journal.close();
        throw new IllegalArgumentException("events.kafka: " + e.getMessage(), e);
      }
      return new EventPipeline(journal, sender, config.queueSize(), config.kafka().stallTimeout(), j.fsync(),
          config.flushTimeout(), config.publishInterval());
    }, false).map(p -> {
      pipeline = p;
      p.start();
      StateEvents previous = context.services().find(StateEvents.class).orElse(null);
      context.services().register(StateEvents.class,
          new CloudStateEvents(config, previous, p::offer, System::currentTimeMillis));
      RequestEvents requestEvents = new RequestEvents(config, p::offer, System::currentTimeMillis);
      this.requestEvents = requestEvents;
      context.runtime().addObserver(requestEvents);
      context.runtime().addMetricSource(p::collect);
      if (context.admin() != null) {
        context.admin().register("/events/stats", req -> Future.succeededFuture(p.statsJson()));
      }
      log.info("events: {} (journal {}, max {})",
          config.kafka().configured() ? "to Kafka " + config.kafka().bootstrapServers() + " topics "
              + config.kafka().topic() + ", " + config.kafka().stateTopic() : "journal only (no Kafka configured)",
          config.journal().dir(), config.journal().maxSize());
      return null;
    });
  }

  @Override
  public Future<Void> stop() {
    EventPipeline p = pipeline;
    if (p == null) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    p.stop().whenComplete((v, e) -> {
      if (e == null) {
        promise.complete();
      } else {
        promise.fail(e);
      }
    });
    return promise.future();
  }

  /** The running pipeline's statistics (tests). */
  EventPipeline pipeline() {
    return pipeline;
  }
}
