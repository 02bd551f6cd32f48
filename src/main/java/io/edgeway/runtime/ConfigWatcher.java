package io.edgeway.runtime;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the configuration file's directory on its own thread (never an event loop) and calls
 * {@code onChange} once the directory stayed quiet for {@code debounce} after a change: editors
 * and {@code cp} write a file in several steps, and Kubernetes swaps a ConfigMap through a
 * symlinked directory, so any event in the directory counts, and the reloader then compares the
 * file's text with the running one (an unrelated change reloads nothing).
 */
final class ConfigWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);

  private final Path directory;
  private final Duration debounce;
  private final Runnable onChange;
  private final WatchService service;
  private final Thread thread;
  private volatile boolean closed;

  private ConfigWatcher(Path directory, Duration debounce, Runnable onChange, WatchService service) {
    this.directory = directory;
    this.debounce = debounce;
    this.onChange = onChange;
    this.service = service;
    this.thread = new Thread(this::run, "edgeway-config-watch");
    this.thread.setDaemon(true);
  }

  /** Starts watching the directory of {@code file}. Blocking (registers with the file system): start-up only. */
  static ConfigWatcher start(Path file, Duration debounce, Runnable onChange) throws IOException {
    requireNonNull(file, "file");
    requireNonNull(debounce, "debounce");
    requireNonNull(onChange, "onChange");
    Path directory = file.toAbsolutePath().getParent();
    WatchService service = directory.getFileSystem().newWatchService();
    try {
      directory.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
          StandardWatchEventKinds.ENTRY_DELETE);
    } catch (IOException | RuntimeException e) {
      service.close();
      throw e;
    }
    ConfigWatcher watcher = new ConfigWatcher(directory, debounce, onChange, service);
    watcher.thread.start();
    log.info("watching {} for configuration changes (debounce {} ms)", directory, debounce.toMillis());
    return watcher;
  }

  private void run() {
    try {
      while (!closed) {
        consume(service.take());
        // Quiet for a whole debounce period: the writer is done.
        WatchKey more;
        while ((more = service.poll(debounce.toMillis(), TimeUnit.MILLISECONDS)) != null) {
          consume(more);
        }
        if (!closed) {
          onChange.run();
        }
      }
    } catch (ClosedWatchServiceException | InterruptedException e) {
      // closed: the gateway is stopping
    } catch (RuntimeException e) {
      log.error("the configuration watcher of {} stopped; SIGHUP and POST /config/reload still reload", directory, e);
    }
  }

  private static void consume(WatchKey key) {
    key.pollEvents();
    key.reset();
  }

  @Override
  public void close() {
    closed = true;
    try {
      service.close();
    } catch (IOException e) {
      log.debug("closing the configuration watcher: {}", e.toString());
    }
  }
}
