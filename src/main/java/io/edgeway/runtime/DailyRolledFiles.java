package io.edgeway.runtime;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code daily: true}: {@code access.<day>.<n>.log}, n from 0 within a day, one past the highest
 * already there (a restart continues the day's numbering). Keeps the rolled files of today and of
 * the {@code max-history} days before; deletes those of earlier days, whatever their age.
 */
final class DailyRolledFiles implements RolledFiles {
  private static final Logger log = LoggerFactory.getLogger(DailyRolledFiles.class);

  private final Path directory;
  private final String stem;
  private final String extension;
  private final int maxHistory;
  private final Pattern rolledName;

  DailyRolledFiles(Path directory, String stem, String extension, int maxHistory) {
    this.directory = directory;
    this.stem = stem;
    this.extension = extension;
    this.maxHistory = maxHistory;
    this.rolledName = Pattern.compile(
        Pattern.quote(stem) + "\\.(\\d{4}-\\d{2}-\\d{2})\\.(\\d{1,9})" + Pattern.quote(extension));
  }

  private record Rolled(Path file, LocalDate day, int index) {}

  @Override
  public void roll(Path active, LocalDate day, LocalDate today) throws IOException {
    List<Rolled> rolled = list();
    int index = rolled.stream().filter(r -> r.day().equals(day)).mapToInt(Rolled::index).max().orElse(-1) + 1;
    while (true) {
      try {
        // Without REPLACE_EXISTING: a name taken since the listing is skipped, never overwritten.
        Files.move(active, directory.resolve(stem + "." + day + "." + index + extension));
        break;
      } catch (FileAlreadyExistsException taken) {
        index++;
      }
    }
    LocalDate oldestKept = today.minusDays(maxHistory);
    for (Rolled r : rolled) {
      if (r.day().isBefore(oldestKept)) {
        try {
          Files.deleteIfExists(r.file());
        } catch (IOException e) {
          log.warn("access log: cannot delete {}, rolled on {} (max-history: {} days): {}", r.file(), r.day(),
              maxHistory, e.toString());
        }
      }
    }
  }

  private List<Rolled> list() throws IOException {
    List<Rolled> rolled = new ArrayList<>();
    try (var files = Files.newDirectoryStream(directory)) {
      for (Path file : files) {
        Matcher m = rolledName.matcher(file.getFileName().toString());
        if (m.matches()) {
          try {
            rolled.add(new Rolled(file, LocalDate.parse(m.group(1)), Integer.parseInt(m.group(2))));
          } catch (DateTimeParseException notADay) {
            // Not one of ours (2026-13-45): left alone.
          }
        }
      }
    }
    return rolled;
  }
}
