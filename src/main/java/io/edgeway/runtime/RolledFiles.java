package io.edgeway.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * Where the access log's file goes when it is rolled, and which rolled files are deleted: by day
 * ({@code access.2026-12-02.0.log}, {@code access.2026-12-02.1.log}...) or numbered
 * ({@code access.1.log} newest to {@code access.N.log}). Called on the access log's writer thread
 * only; no rename ever replaces an existing file.
 */
sealed interface RolledFiles permits DailyRolledFiles, NumberedRolledFiles {

  /**
   * Renames the (closed) active file to its rolled name, then deletes the rolled files past the
   * history. Throws only when the active file could not be renamed; it is then where it was.
   *
   * @param day the day the active file's lines were written
   * @param today the day now, from which the history is counted
   */
  void roll(Path active, LocalDate day, LocalDate today) throws IOException;

  /** The rolled files of {@code active}, in its directory: its name with the date and/or number before the extension. */
  static RolledFiles beside(Path active, boolean daily, int maxHistory) {
    String name = active.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String extension = dot > 0 ? name.substring(dot) : "";
    return daily
        ? new DailyRolledFiles(active.getParent(), stem, extension, maxHistory)
        : new NumberedRolledFiles(active.getParent(), stem, extension, maxHistory);
  }
}
