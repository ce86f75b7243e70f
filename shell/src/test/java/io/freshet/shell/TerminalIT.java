package io.freshet.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive shell as a person uses it, in a real terminal (tmux): {@code bin/freshet} is typed into and its
 * screen read back, waiting for what should show (never for a fixed time).
 */
class TerminalIT {
  private static final Pattern KEY_ROW = Pattern.compile("(?m)^\\| (\\d) \\| +(\\d+) \\|$");

  @TempDir
  Path dir;

  private Map<String, String> environment() {
    return Map.of("FRESHET_HISTORY", dir.resolve("history").toString(), "FRESHET_LOG_DIR",
        dir.resolve("log").toString());
  }

  @Test
  void aQueryShowsRowsAnUpdateTableRedrawsInPlaceAndCtrlCStopsThem() {
    try (Tmux shell = new Tmux(List.of(), environment())) {
      shell.awaitPrompt("freshet>");
      shell.line("SELECT auction, price FROM bid WHERE price > 95000000;");
      shell.await("rows of bids", s -> s.contains("| auction | price") && s.matches("(?s).*\\| +\\d+ \\| +\\d+ \\|.*"));
      shell.keys("C-c");
      assertTrue(shell.awaitPrompt("freshet>").matches("(?s).*\\d+ rows?\\n.*"), shell.screen());

      shell.keys("C-l").line("SELECT MOD(auction, 3) AS k, COUNT(*) AS n FROM bid GROUP BY MOD(auction, 3);");
      Map<String, Long> first = counts(shell.await("one row per key", s -> counts(s).size() == 3));
      // The counts grow in place: still one line per key, each key's count the latest.
      String later = shell.await("the counts to grow", s -> {
        Map<String, Long> now = counts(s);
        return now.size() == 3 && now.keySet().stream().allMatch(k -> now.get(k) > first.get(k));
      });
      assertTrue(later.matches("(?s).*\\+---\\+-+\\+\\n\\| k \\| n +\\|\\n\\+---\\+-+\\+\\n.*"), later);
      assertTrue(later.matches("(?s).*batch \\d+ \\| watermark \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\| "
          + "\\d+ rows/s in \\| 3 rows \\| Ctrl-C stops.*"), later);
      shell.keys("C-c");
      String end = shell.awaitPrompt("freshet>");
      assertTrue(end.contains("\n3 rows\n"), end);
      assertEquals(3, counts(end).size(), end);
    }
  }

  /** The count of each key of the update table on the screen; fails when a key shows on more than one line. */
  private static Map<String, Long> counts(String screen) {
    Map<String, Long> counts = new HashMap<>();
    Matcher m = KEY_ROW.matcher(screen);
    while (m.find()) {
      if (counts.put(m.group(1), Long.parseLong(m.group(2))) != null) {
        throw new AssertionError("key " + m.group(1) + " shows on more than one line:\n" + screen);
      }
    }
    return counts;
  }

  @Test
  void anInsertRunsInTheBackgroundThePromptCountsItAndLeavingAsksFirst() {
    try (Tmux shell = new Tmux(List.of(), environment())) {
      shell.awaitPrompt("freshet>");
      shell.line("CREATE TABLE sunk WITH ('connector' = 'blackhole');");
      shell.awaitText("[INFO] Created table sunk");
      shell.line("INSERT INTO sunk SELECT auction, price FROM bid;");
      shell.awaitText("[INFO] Started query sunk [id = ");
      shell.awaitPrompt("freshet[1]>");
      shell.line("STOP QUERY sunk;");
      shell.awaitText("[INFO] Stopped query sunk [id = ");
      shell.awaitPrompt("freshet>");

      shell.line("INSERT INTO sunk SELECT auction, price FROM bid;");
      shell.awaitPrompt("freshet[1]>");
      shell.keys("C-d");
      shell.awaitText("1 query is running; stop it and exit? [y/N]");
      shell.line("n");
      shell.awaitPrompt("freshet[1]>");
      shell.line("quit;");
      shell.awaitText("1 query is running; stop it and exit? [y/N]");
      shell.line("y");
      shell.awaitEnd();
    }
  }

  @Test
  void tabCompletesNamesAndColumnsAndHistoryRecallsAStatementAfterARestart() {
    try (Tmux shell = new Tmux(List.of(), environment())) {
      shell.awaitPrompt("freshet>");
      shell.type("SELECT * FROM pers").keys("Tab");
      shell.awaitPrompt("freshet> SELECT * FROM person");
      shell.type("WHERE cit").keys("Tab");
      shell.awaitPrompt("freshet> SELECT * FROM person WHERE city");
      shell.type("= 'x' AND nexmark.b").keys("Tab");
      shell.awaitPrompt("freshet> SELECT * FROM person WHERE city = 'x' AND nexmark.bid");
      shell.keys("C-u");
      // A statement over two lines, recalled whole after a restart.
      shell.line("SHOW").awaitText("     ->");
      shell.line("  STREAMS;");
      shell.awaitText("| nexmark.person ");
      shell.awaitPrompt("freshet>");
      shell.line("quit;");
      shell.awaitEnd();
    }
    try (Tmux shell = new Tmux(List.of(), environment())) {
      shell.awaitPrompt("freshet>");
      // quit; came last.
      shell.keys("Up");
      shell.awaitPrompt("freshet> quit;");
      shell.keys("Up");
      shell.await("the statement recalled", s -> s.contains("freshet> SHOW\n     ->   STREAMS;"));
      shell.keys("Enter");
      shell.awaitText("| nexmark.person ");
      shell.awaitPrompt("freshet>");
    }
  }
}
