package io.edgeway.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every Java and XML snippet of the plugin guide is taken from a file the build compiles and tests
 * (the template or an example plugin): a snippet's first line names that file
 * ({@code // plugins/template/src/...java} or {@code <!-- plugins/template/pom.xml -->}), and its other
 * lines must appear in it in the same order, consecutively, except where the snippet says
 * {@code // ...} (or {@code <!-- ... -->}) to skip lines. So a snippet cannot drift from code that compiles.
 */
class PluginGuideSnippetsTest {
  private static final Path GUIDE = Path.of("docs/plugins.md");
  private static final Pattern BLOCK = Pattern.compile("```(java|xml)\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern SOURCE = Pattern.compile("^(?://|<!--)\\s*(\\S+\\.(?:java|xml))\\s*(?:-->)?$");

  @Test
  void everyCodeSnippetIsCutFromAFileTheBuildCompiles() throws IOException {
    String guide = Files.readString(GUIDE);
    Matcher blocks = BLOCK.matcher(guide);
    List<String> problems = new ArrayList<>();
    int checked = 0;
    while (blocks.find()) {
      List<String> lines = List.of(blocks.group(2).stripTrailing().split("\n", -1));
      int line = lineOf(guide, blocks.start());
      Matcher source = SOURCE.matcher(lines.get(0).trim());
      if (!source.matches()) {
        problems.add("docs/plugins.md:" + line + ": the snippet's first line must name its source file, got: " + lines.get(0));
        continue;
      }
      Path file = Path.of(source.group(1));
      if (!Files.isRegularFile(file)) {
        problems.add("docs/plugins.md:" + line + ": " + file + ": no such file");
        continue;
      }
      String missing = firstMissing(lines.subList(1, lines.size()), Files.readAllLines(file));
      if (missing != null) {
        problems.add("docs/plugins.md:" + line + ": not in " + file + " (in this order): " + missing.strip());
      }
      checked++;
    }
    assertThat(problems).isEmpty();
    assertThat(checked).as("Java and XML snippets checked").isGreaterThanOrEqualTo(5);
  }

  /** The first snippet line not found in order in the file, or null when all are. */
  private static String firstMissing(List<String> snippet, List<String> file) {
    int at = 0;
    boolean consecutive = false;
    for (String raw : snippet) {
      String want = raw.stripTrailing();
      if (want.isBlank() && !consecutive) {
        continue;
      }
      if (isEllipsis(want)) {
        consecutive = false;
        continue;
      }
      if (consecutive) {
        if (at < file.size() && file.get(at).stripTrailing().equals(want)) {
          at++;
          continue;
        }
        return raw;
      }
      int found = -1;
      for (int i = at; i < file.size(); i++) {
        if (!want.isBlank() && file.get(i).stripTrailing().equals(want)) {
          found = i;
          break;
        }
      }
      if (found < 0) {
        return raw;
      }
      at = found + 1;
      consecutive = true;
    }
    return null;
  }

  private static boolean isEllipsis(String line) {
    String t = line.trim();
    return t.equals("// ...") || t.equals("<!-- ... -->") || t.equals("...");
  }

  private static int lineOf(String text, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }
}
