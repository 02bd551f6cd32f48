package io.edgeway.events;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code edgeway events tail [--dir DIR] [--follow]}: prints the events waiting in a journal, one
 * CloudEvent (JSON format) per line, oldest first. Reads without locking, so it works beside a
 * running gateway; with {@code --follow} it prints new records as they are appended.
 */
public final class EventsCommand {
  static final String USAGE = """
      usage: java -jar edgeway.jar events tail [--dir DIR] [--follow]
        --dir DIR   the journal directory (default: data/journal, as events.journal.dir)
        --follow    keep printing new events (Ctrl-C to stop)""";

  private EventsCommand() {}

  /** Runs the subcommand; returns the exit code (0 ok, 64 usage, 1 unreadable journal). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
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
}
