package io.edgeway.cli;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A command a feature adds to the command line ({@code java -jar edgeway.jar NAME ...}), such as
 * {@code events tail}. Discovered from {@code META-INF/services/io.edgeway.cli.Subcommand}, so the
 * command line names no feature.
 */
public interface Subcommand {

  /** The first argument that selects this command, e.g. {@code events}. */
  String name();

  /**
   * Runs the command.
   *
   * @param args the arguments after the name
   * @return the process exit code
   */
  int run(String[] args, PrintStream out, PrintStream err);

  /** The subcommand called {@code name} among those {@code loader} sees. */
  static Optional<Subcommand> find(String name, ClassLoader loader) {
    requireNonNull(name, "name");
    for (Subcommand command : ServiceLoader.load(Subcommand.class, requireNonNull(loader, "loader"))) {
      if (command.name().equals(name)) {
        return Optional.of(command);
      }
    }
    return Optional.empty();
  }
}
