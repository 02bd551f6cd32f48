package io.edgeway.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * {@code daily: false}: {@code access.1.log} is the newest rolled file, {@code access.N.log} the
 * oldest kept (N = {@code max-history}); a roll deletes N and shifts the others up by one.
 */
final class NumberedRolledFiles implements RolledFiles {
  private final Path directory;
  private final String stem;
  private final String extension;
  private final int maxHistory;

  NumberedRolledFiles(Path directory, String stem, String extension, int maxHistory) {
    this.directory = directory;
    this.stem = stem;
    this.extension = extension;
    this.maxHistory = maxHistory;
  }

  @Override
  public void roll(Path active, LocalDate day, LocalDate today) throws IOException {
    Files.deleteIfExists(numbered(maxHistory));
    for (int n = maxHistory - 1; n >= 1; n--) {
      Path older = numbered(n);
      if (Files.exists(older)) {
        Files.move(older, numbered(n + 1)); // n + 1 was just freed; never replaced
      }
    }
    Files.move(active, numbered(1));
  }

  private Path numbered(int n) {
    return directory.resolve(stem + "." + n + extension);
  }
}
