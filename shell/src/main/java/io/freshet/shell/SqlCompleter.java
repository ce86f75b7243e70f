package io.freshet.shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion at the prompt. Inside {@code WITH (...)} it offers connector options: the keys the connector named
 * by {@code 'connector' = '...'} declares (all connectors' keys until one is named), and after
 * {@code 'connector' =} the connectors' names. Elsewhere it offers keywords, the session's streams, tables and views
 * ({@code nexmark.bid} and {@code bid} alike), functions, and the columns of the relations the statement names,
 * anywhere in it (so {@code SELECT pr<Tab> FROM bid} offers {@code price}); after {@code name.} or {@code alias.}
 * it offers that relation's columns. Nothing is offered inside a comment or an ordinary string.
 */
final class SqlCompleter implements Completer {
  /** What there is to offer, asked each time Tab is pressed (the catalog changes as statements run). */
  interface Names {
    /** The streams, tables and views. */
    List<String> relations();

    /** The columns of one of them (empty when it is unknown). */
    List<String> columns(String relation);

    /** The functions. */
    List<String> functions();

    /** The option keys of each connector, by connector name. */
    Map<String, List<String>> connectorOptions();
  }

  private static final String KEYWORD = "keyword";
  private static final String RELATION = "stream, table or view";
  private static final String COLUMN = "column";
  private static final String FUNCTION = "function";
  private static final String OPTION = "connector option";

  private final Names names;

  SqlCompleter(Names names) {
    this.names = names;
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    candidates.addAll(candidates(line.line(), line.cursor()));
  }

  /** The candidates for the word at {@code cursor} of {@code text} (unit tests call this without a terminal). */
  List<Candidate> candidates(String text, int cursor) {
    int from = statementStart(text, cursor);
    int to = statementEnd(text, cursor);
    String before = text.substring(from, cursor);
    List<SqlTokens.Token> tokens = SqlTokens.split(before);
    SqlTokens.Token atCursor = tokens.isEmpty() ? null : tokens.get(tokens.size() - 1);
    if (atCursor != null && atCursor.kind() == SqlTokens.Kind.COMMENT && (atCursor.open()
        || atCursor.text().startsWith("--"))) {
      return List.of();
    }
    String word = atCursor != null && atCursor.end() == before.length() && atCursor.kind() != SqlTokens.Kind.SPACE
        && atCursor.kind() != SqlTokens.Kind.OTHER ? atCursor.text() : "";
    List<SqlTokens.Token> significant = significant(tokens, !word.isEmpty());
    int depth = optionsDepth(significant);
    if (depth == 1) {
      return options(significant, word);
    }
    if (word.startsWith("'") || word.startsWith("\"") || word.startsWith("`")) {
      return List.of();
    }
    List<SqlTokens.Token> whole = significant(SqlTokens.split(text.substring(from, to)), false);
    return names(whole, word);
  }

  /** Keywords, relations, functions and columns, or after a dot the qualified names that go on from it. */
  private List<Candidate> names(List<SqlTokens.Token> statement, String word) {
    List<String> relations = names.relations();
    Map<String, String> named = named(statement, relations);
    List<Candidate> candidates = new ArrayList<>();
    int dot = word.lastIndexOf('.');
    if (dot >= 0) {
      String qualifier = word.substring(0, dot);
      for (String r : relations) {
        if (r.regionMatches(true, 0, word, 0, word.length())) {
          candidates.add(candidate(r, RELATION, true));
        }
      }
      String relation = named.get(qualifier.toLowerCase(Locale.ROOT));
      if (relation == null) {
        relation = relations.stream().filter(qualifier::equalsIgnoreCase).findFirst().orElse(null);
      }
      if (relation != null) {
        for (String c : names.columns(relation)) {
          candidates.add(candidate(qualifier + "." + c, COLUMN, true));
        }
      }
      return candidates;
    }
    for (String k : SqlTokens.KEYWORDS) {
      candidates.add(candidate(k, KEYWORD, true));
    }
    for (String r : relations) {
      candidates.add(candidate(r, RELATION, true));
    }
    for (String f : names.functions()) {
      candidates.add(candidate(f, FUNCTION, false));
    }
    Set<String> columns = new LinkedHashSet<>();
    for (String relation : new LinkedHashSet<>(named.values())) {
      columns.addAll(names.columns(relation));
    }
    for (String c : columns) {
      candidates.add(candidate(c, COLUMN, true));
    }
    return candidates;
  }

  /**
   * The relations the statement names, by the lower-case name or alias it reads them by ({@code FROM bid b} names
   * bid as {@code bid} and {@code b}).
   */
  static Map<String, String> named(List<SqlTokens.Token> statement, List<String> relations) {
    Map<String, String> named = new LinkedHashMap<>();
    for (int i = 0; i < statement.size(); i++) {
      SqlTokens.Token t = statement.get(i);
      String name = t.kind() == SqlTokens.Kind.QUOTED_NAME && !t.open() && t.text().length() > 1
          ? t.text().substring(1, t.text().length() - 1) : t.kind() == SqlTokens.Kind.WORD ? t.text() : null;
      String relation = name == null ? null
          : relations.stream().filter(name::equalsIgnoreCase).findFirst().orElse(null);
      if (relation == null) {
        continue;
      }
      named.put(name.toLowerCase(Locale.ROOT), relation);
      int next = i + 1;
      if (next < statement.size() && statement.get(next).is("AS")) {
        next++;
      }
      if (next < statement.size() && statement.get(next).kind() == SqlTokens.Kind.WORD
          && !SqlTokens.isKeyword(statement.get(next).text())) {
        named.put(statement.get(next).text().toLowerCase(Locale.ROOT), relation);
      }
    }
    return named;
  }

  /** Inside {@code WITH (}: option keys, or connector names after {@code 'connector' =}. */
  private List<Candidate> options(List<SqlTokens.Token> statement, String word) {
    SqlTokens.Token previous = statement.isEmpty() ? null : statement.get(statement.size() - 1);
    Map<String, List<String>> all = names.connectorOptions();
    List<Candidate> candidates = new ArrayList<>();
    if (previous != null && previous.text().equals("=")) {
      SqlTokens.Token key = statement.size() >= 2 ? statement.get(statement.size() - 2) : null;
      if (key != null && unquoted(key).equalsIgnoreCase("connector")) {
        all.keySet().forEach(c -> candidates.add(candidate("'" + c + "'", "connector", true)));
      }
      return candidates;
    }
    if (previous == null || !(previous.text().equals("(") || previous.text().equals(","))) {
      return candidates;
    }
    String connector = connector(statement);
    Set<String> keys = new LinkedHashSet<>();
    if (connector == null) {
      keys.add("connector");
      all.values().forEach(keys::addAll);
    } else {
      keys.addAll(all.getOrDefault(connector.toLowerCase(Locale.ROOT), List.of()));
    }
    for (String key : keys) {
      candidates.add(candidate("'" + key + "'", OPTION, true));
    }
    return candidates;
  }

  /** The connector the statement names with {@code 'connector' = 'x'}, or null. */
  private static String connector(List<SqlTokens.Token> statement) {
    for (int i = 0; i + 2 < statement.size(); i++) {
      if (statement.get(i).kind() == SqlTokens.Kind.STRING && unquoted(statement.get(i)).equalsIgnoreCase(
          "connector") && statement.get(i + 1).text().equals("=")
          && statement.get(i + 2).kind() == SqlTokens.Kind.STRING) {
        return unquoted(statement.get(i + 2));
      }
    }
    return null;
  }

  /**
   * How deep in the brackets of a {@code WITH (...)} the end of these tokens is: 0 outside it, 1 in its list of
   * options.
   */
  private static int optionsDepth(List<SqlTokens.Token> statement) {
    int depth = 0;
    for (int i = 0; i < statement.size(); i++) {
      String t = statement.get(i).text();
      if (depth == 0) {
        if (statement.get(i).is("WITH") && i + 1 < statement.size() && statement.get(i + 1).text().equals("(")) {
          depth = 1;
          i++;
        }
      } else if (t.equals("(")) {
        depth++;
      } else if (t.equals(")")) {
        depth--;
      }
    }
    return depth;
  }

  /** The tokens that mean something (no spaces or comments), without the word being typed when {@code last}. */
  private static List<SqlTokens.Token> significant(List<SqlTokens.Token> tokens, boolean dropLast) {
    List<SqlTokens.Token> kept = new ArrayList<>();
    int end = dropLast ? tokens.size() - 1 : tokens.size();
    for (int i = 0; i < end; i++) {
      SqlTokens.Kind kind = tokens.get(i).kind();
      if (kind != SqlTokens.Kind.SPACE && kind != SqlTokens.Kind.COMMENT) {
        kept.add(tokens.get(i));
      }
    }
    return kept;
  }

  private static String unquoted(SqlTokens.Token token) {
    String t = token.text();
    if (token.kind() == SqlTokens.Kind.STRING && t.length() >= 2 && !token.open()) {
      return t.substring(1, t.length() - 1).replace("''", "'");
    }
    return t;
  }

  /** Where the statement around {@code cursor} starts: after the last {@code ;} before it (outside quotes). */
  private static int statementStart(String text, int cursor) {
    int start = 0;
    for (SqlTokens.Token t : SqlTokens.split(text.substring(0, cursor))) {
      if (t.text().equals(";")) {
        start = t.end();
      }
    }
    return start;
  }

  /** Where the statement around {@code cursor} ends: its {@code ;}, or the end of the text. */
  private static int statementEnd(String text, int cursor) {
    int from = statementStart(text, cursor);
    for (SqlTokens.Token t : SqlTokens.split(text.substring(from))) {
      if (t.text().equals(";") && from + t.start() >= cursor) {
        return from + t.start();
      }
    }
    return text.length();
  }

  private static Candidate candidate(String value, String group, boolean complete) {
    return new Candidate(value, value, group, null, null, null, complete);
  }
}
