package io.edgeway.events;

import io.edgeway.cli.Subcommand;
import java.io.PrintStream;

/** Registers {@link EventsCommand} as {@code java -jar edgeway.jar events ...}. */
public final class EventsSubcommand implements Subcommand {

  @Override
  public String name() {
    return "events";
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) {
    return EventsCommand.run(args, out, err);
  }
}
