package io.edgeway.cli;

import io.edgeway.config.ConfigError;
import io.edgeway.config.ConfigException;
import io.edgeway.config.ConfigLoader;
import io.edgeway.config.LoadedConfig;
import io.edgeway.plugin.PluginException;
import io.edgeway.plugin.PluginSet;
import io.edgeway.runtime.ConfigOrigin;
import io.edgeway.runtime.EventLoopTransport;
import io.edgeway.runtime.Gateway;
import io.edgeway.runtime.ConfigValidator;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar edgeway.jar [--config FILE] [--check]}.
 *
 * <p>Exit codes: 0 started and later stopped cleanly, or {@code --check} found the configuration
 * valid; 1 the gateway failed at run time (e.g. a port could not be bound); 2 the configuration is
 * invalid (every error printed, compiler-style); 64 wrong command-line usage.
 */
public final class Main {
  public static final int OK = 0;
  public static final int RUNTIME_FAILURE = 1;
  public static final int INVALID_CONFIG = 2;
  public static final int USAGE = 64;

  private static final String NETTY_JFR = "io.netty.jfr.enabled";
  private static final String DEFAULT_CONFIG = "config/edgeway.yaml";
  private static final String EMBEDDED_CONFIG = "/config/edgeway.yaml";
  private static final String USAGE_TEXT = """
      usage: java -jar edgeway.jar [--config FILE] [--plugins DIR] [--check]
             java -jar edgeway.jar events tail [--dir DIR] [--follow]
             java -XX:ArchiveClassesAtExit=FILE -jar edgeway.jar training-run [--request PATH]... [GATEWAY ARGS]
        --config FILE  the gateway configuration (default: config/edgeway.yaml if present,
                       else the embedded default configuration)
        --plugins DIR  directory of filter plugin jars (default: plugins)
        --check        validate the configuration, print every error, and exit
      exit codes: 0 ok, 1 runtime failure, 2 invalid configuration, 64 usage error""";

  private Main() {}

  public static void main(String[] args) {
    // Netty's buffer events for Flight Recorder: when on, the JVM instruments each event class as
    // it loads (jdk.jfr and ASM, about 100 classes and their compilation) before the first request.
    // Off unless asked for with -Dio.netty.jfr.enabled=true; JFR itself keeps working.
    if (System.getProperty(NETTY_JFR) == null) {
      System.setProperty(NETTY_JFR, "false");
    }
    int code = run(args, System.out, System.err);
    if (code != OK || isCheck(args) || args.length > 0 && !args[0].startsWith("-")) {
      System.exit(code);
    }
  }

  static boolean isCheck(String[] args) {
    for (String a : args) {
      if (a.equals("--check")) {
        return true;
      }
    }
    return false;
  }

  /** Runs the command; returns an exit code, or {@link #OK} once the gateway is serving. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Optional<Subcommand> subcommand = args.length > 0 ? Subcommand.find(args[0], Main.class.getClassLoader())
        : Optional.empty();
    if (subcommand.isPresent()) {
      return subcommand.get().run(Arrays.copyOfRange(args, 1, args.length), out, err);
    }
    return run(args, out, err, started -> {});
  }

  /** A gateway this class started, for a command that drives it ({@link TrainingRun}). */
  record Started(Gateway gateway, Vertx vertx, GracefulShutdown shutdown) {}

  /**
   * Parses the gateway's arguments and starts it as {@code java -jar edgeway.jar ARGS} does; once it
   * serves, hands it to {@code onStarted} and returns {@link #OK}.
   */
  static int run(String[] args, PrintStream out, PrintStream err, Consumer<Started> onStarted) {
    String configFile = null;
    String pluginDir = "plugins";
    boolean check = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> {
          if (i + 1 >= args.length) {
            err.println("edgeway: --config needs a file\n" + USAGE_TEXT);
            return USAGE;
          }
          configFile = args[++i];
        }
        case "--plugins" -> {
          if (i + 1 >= args.length) {
            err.println("edgeway: --plugins needs a directory\n" + USAGE_TEXT);
            return USAGE;
          }
          pluginDir = args[++i];
        }
        case "--check" -> check = true;
        case "--help", "-h" -> {
          out.println(USAGE_TEXT);
          return OK;
        }
        default -> {
          err.println("edgeway: unknown argument '" + args[i] + "'\n" + USAGE_TEXT);
          return USAGE;
        }
      }
    }
    PluginSet plugins;
    ConfigValidator validator;
    try {
      // Here, on the main thread: loading plugins runs their constructors, never on an event loop.
      plugins = PluginSet.load(Path.of(pluginDir), Main.class.getClassLoader());
    } catch (PluginException e) {
      err.println("edgeway: " + e.getMessage());
      return INVALID_CONFIG;
    }
    try {
      validator = new ConfigValidator(plugins.registry(), Gateway.discoverModules(Main.class.getClassLoader()));
    } catch (IllegalStateException e) {
      plugins.closeUnused();
      err.println("edgeway: " + e.getMessage());
      return INVALID_CONFIG;
    }
    int code = run(configFile, check, plugins, validator, out, err, onStarted);
    if (code != OK || check) {
      plugins.closeUnused(); // nothing serves: close the class loaders, delete the nested jars
    }
    return code;
  }

  private static int run(String configFile, boolean check, PluginSet plugins, ConfigValidator validator,
      PrintStream out, PrintStream err, Consumer<Started> onStarted) {
    LoadedConfig loaded;
    String source;
    ConfigOrigin origin;
    try {
      if (configFile == null && !Files.exists(Path.of(DEFAULT_CONFIG))) {
        source = "embedded:" + DEFAULT_CONFIG;
        String text = embeddedDefault();
        origin = ConfigOrigin.ofText(source, text);
        loaded = validator.load(source, text, System::getenv);
      } else {
        Path path = Path.of(configFile == null ? DEFAULT_CONFIG : configFile);
        if (!Files.isRegularFile(path)) {
          err.println("edgeway: " + path + ": no such configuration file");
          return INVALID_CONFIG;
        }
        source = path.toString();
        // Read once: the hash GET /config shows is the hash of exactly the text that was validated.
        String text = ConfigLoader.readText(path);
        origin = ConfigOrigin.ofFile(path, text);
        loaded = validator.load(source, text, System::getenv);
      }
    } catch (ConfigException e) {
      printErrors(e, err);
      return INVALID_CONFIG;
    }
    if (check) {
      // The validation start-up runs (Gateway.start), no more: no module starts, nothing connects.
      Vertx vertx = Vertx.vertx();
      try {
        validator.validateRoutes(vertx, loaded);
        out.println(source + ": configuration OK (" + loaded.config().routes().size() + " routes)");
        return OK;
      } catch (ConfigException e) {
        printErrors(e, err);
        return INVALID_CONFIG;
      } finally {
        vertx.close();
      }
    }
    return start(loaded, origin, plugins, err, onStarted);
  }

  private static int start(LoadedConfig loaded, ConfigOrigin origin, PluginSet plugins, PrintStream err,
      Consumer<Started> onStarted) {
    Logger log = LoggerFactory.getLogger(Main.class);
    int loops = loaded.config().server().instances();
    EventLoopTransport.Choice transport;
    try {
      transport = EventLoopTransport.choose(loaded.config().server().transport());
    } catch (IllegalStateException e) {
      err.println("edgeway: failed to start: " + e.getMessage());
      return RUNTIME_FAILURE;
    }
    log.info("event loops: {} on {}", loops, transport.description());
    Vertx vertx = transport.vertx(new VertxOptions()
        .setEventLoopPoolSize(loops)
        .setBlockedThreadCheckInterval(1000)
        .setMaxEventLoopExecuteTime(2000)
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
    Gateway gateway;
    try {
      gateway = Gateway.start(vertx, loaded, origin, plugins, Gateway.discoverModules(Main.class.getClassLoader()))
          .await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e instanceof ConfigException || e.getCause() == null ? e : e.getCause();
      if (cause instanceof ConfigException ce) {
        printErrors(ce, err);
        vertx.close();
        return INVALID_CONFIG;
      }
      err.println("edgeway: failed to start: " + cause.getMessage());
      log.error("start-up failed", cause);
      vertx.close();
      return RUNTIME_FAILURE;
    }
    GracefulShutdown shutdown = new GracefulShutdown(gateway, vertx);
    // SIGINT, System.exit elsewhere, or SIGTERM on a JVM without signal handlers: still drain.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown.stop("JVM shutdown"), "edgeway-shutdown"));
    Gateway running = gateway;
    // The reload runs on its own thread and logs its outcome; the signal thread only asks for it.
    Signals.install(shutdown, () -> running.reloader().reload("SIGHUP"));
    onStarted.accept(new Started(gateway, vertx, shutdown));
    return OK;
  }

  private static String embeddedDefault() throws ConfigException {
    try (InputStream in = Main.class.getResourceAsStream(EMBEDDED_CONFIG)) {
      if (in == null) {
        throw new IllegalStateException("the embedded default configuration is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the embedded default configuration", e);
    }
  }

  private static void printErrors(ConfigException e, PrintStream err) {
    for (ConfigError error : e.errors()) {
      err.println(error);
    }
    err.println("edgeway: " + e.errors().size() + " configuration error" + (e.errors().size() == 1 ? "" : "s"));
  }
}
