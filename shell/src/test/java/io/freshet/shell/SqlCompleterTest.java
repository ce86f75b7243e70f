package io.freshet.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.jline.reader.Candidate;
import org.junit.jupiter.api.Test;

/** What Tab offers where, over a catalog of two streams. */
class SqlCompleterTest {
  private static final SqlCompleter.Names NAMES = new SqlCompleter.Names() {
    @Override
    public List<String> relations() {
      return List.of("nexmark.bid", "clicks", "bid");
    }

    @Override
    public List<String> columns(String relation) {
      return relation.equals("clicks") ? List.of("user_id", "url") : List.of("auction", "price", "dateTime");
    }

    @Override
    public List<String> functions() {
      return List.of("COUNT", "TUMBLE");
    }

    @Override
    public Map<String, List<String>> connectorOptions() {
      return Map.of("rate", List.of("rowsPerSecond"), "nexmark", List.of("table", "events"));
    }
  };
  private final SqlCompleter completer = new SqlCompleter(NAMES);

  /** The values offered with the cursor at the end of {@code text}. */
  private List<String> offered(String text) {
    return completer.candidates(text, text.length()).stream().map(Candidate::value).toList();
  }

  @Test
  void keywordsRelationsAndFunctionsEverywhere() {
    List<String> offered = offered("SEL");
    assertTrue(offered.containsAll(List.of("SELECT", "nexmark.bid", "clicks", "bid", "COUNT", "TUMBLE")),
        offered.toString());
    // No relation is named yet: no columns.
    assertFalse(offered.contains("price"), offered.toString());
  }

  @Test
  void columnsOfTheRelationsTheStatementNamesEvenAfterTheCursor() {
    String text = "SELECT pr FROM clicks JOIN nexmark.bid ON 1 = 1";
    List<String> offered = completer.candidates(text, "SELECT pr".length()).stream().map(Candidate::value).toList();
    assertTrue(offered.containsAll(List.of("price", "auction", "user_id", "url")), offered.toString());
    // Only the statement around the cursor counts.
    assertFalse(offered("SELECT url FROM clicks; SELECT ").contains("url"));
  }

  @Test
  void afterADotTheColumnsOfThatRelationOrAliasAndQualifiedNames() {
    assertEquals(List.of("c.user_id", "c.url"), offered("SELECT * FROM clicks c WHERE c."));
    assertEquals(List.of("clicks.user_id", "clicks.url"), offered("SELECT clicks."));
    assertEquals(List.of("nexmark.bid"), offered("SELECT * FROM nexmark.b"));
  }

  @Test
  void insideWithTheOptionsOfTheConnectorNamedThere() {
    assertEquals(List.of("'rowsPerSecond'"), offered("CREATE STREAM r WITH ('connector' = 'rate', "));
    assertEquals(List.of("'rowsPerSecond'"), offered("CREATE STREAM r WITH ('connector' = 'rate', 'ro"));
    List<String> any = offered("CREATE STREAM r WITH (");
    assertTrue(any.containsAll(List.of("'connector'", "'rowsPerSecond'", "'table'", "'events'")), any.toString());
    assertEquals(List.of("'nexmark'", "'rate'"), offered("CREATE STREAM r WITH ('connector' = ").stream().sorted()
        .toList());
    // A value other than the connector's: nothing to offer.
    assertEquals(List.of(), offered("CREATE STREAM r WITH ('connector' = 'rate', 'rowsPerSecond' = "));
    // After the options' closing bracket, names again.
    assertTrue(offered("CREATE STREAM r WITH ('connector' = 'rate') ").contains("SELECT"));
  }

  @Test
  void nothingInsideStringsOrComments() {
    assertEquals(List.of(), offered("SELECT * FROM clicks WHERE url = 'ab"));
    assertEquals(List.of(), offered("SELECT 1 -- a comm"));
    assertEquals(List.of(), offered("SELECT /* a comm"));
  }

  @Test
  void theParserGoesOnToANewLineUntilTheStatementEnds() {
    assertFalse(SqlLineParser.isComplete("SELECT 1"));
    assertFalse(SqlLineParser.isComplete("SELECT ';'"));
    assertTrue(SqlLineParser.isComplete("SELECT\n 1;"));
    assertTrue(SqlLineParser.isComplete("  "));
    assertTrue(SqlLineParser.isComplete("quit"));
    String typed = "CREATE STREAM r WITH ('connector' = 'ra";
    SqlLineParser.Words words = SqlLineParser.words(typed, typed.length());
    assertEquals("'ra", words.word());
    assertEquals(3, words.wordCursor());
  }

  @Test
  void highlightingKeepsTheTextAndStylesItsParts() {
    String text = "SELECT 'a;b', 12 FROM t -- done";
    assertEquals(text, SqlHighlighter.highlight(text).toString());
    List<SqlTokens.Kind> kinds = SqlTokens.split(text).stream().map(SqlTokens.Token::kind)
        .filter(k -> k != SqlTokens.Kind.SPACE).toList();
    assertEquals(List.of(SqlTokens.Kind.WORD, SqlTokens.Kind.STRING, SqlTokens.Kind.OTHER, SqlTokens.Kind.NUMBER,
        SqlTokens.Kind.WORD, SqlTokens.Kind.WORD, SqlTokens.Kind.COMMENT), kinds);
  }
}
