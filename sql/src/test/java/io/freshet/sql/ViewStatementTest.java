package io.freshet.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Row;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CREATE VIEW, DROP VIEW, SHOW VIEWS and DESCRIBE of a view: names shared with streams and tables, checked when
 * created, errors that name the view, and views that outlive what they read.
 */
class ViewStatementTest {
  private FreshetSession session;

  @BeforeEach
  void setUp() {
    session = FreshetSession.builder().create();
    session.sql("CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), "
        + "WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory')");
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  private String fails(String statement) {
    return assertThrows(FreshetException.class, () -> session.sql(statement), statement).getMessage();
  }

  private List<Row> rows(String statement) {
    return session.sql(statement).collectAsList();
  }

  @Test
  void showAndDescribeListViewsApartFromStreamsAndTables() {
    assertEquals(List.of(Row.of("Created view b")), rows("CREATE VIEW b (key, total) AS SELECT k, v + 1 FROM s"));
    session.sql("CREATE TEMPORARY VIEW a AS SELECT k, ts FROM s");
    assertEquals(List.of(Row.of("a"), Row.of("b")), rows("SHOW VIEWS"));
    assertEquals(List.of(Row.of("s", "memory", "unbounded")), rows("SHOW STREAMS"));
    assertEquals(List.of(), rows("SHOW TABLES"));
    assertEquals(List.of(Row.of("key", "VARCHAR", true), Row.of("total", "BIGINT", true)), rows("DESCRIBE B"));
    assertEquals(List.of(Row.of("k", "VARCHAR", true), Row.of("ts", "TIMESTAMP(3)", true)),
        rows("DESCRIBE VIEW a"));
  }

  @Test
  void namesAreSharedWithStreamsAndTables() {
    session.sql("CREATE VIEW v AS SELECT k FROM s");
    assertTrue(fails("CREATE VIEW S AS SELECT k FROM s").contains("a stream named 's' already exists"));
    assertTrue(fails("CREATE STREAM V (k VARCHAR) WITH ('connector' = 'memory')")
        .contains("A view named 'v' already exists; DROP VIEW v first"));
    assertTrue(fails("CREATE VIEW V AS SELECT v FROM s").contains("a view named 'v' already exists"));
    assertEquals(List.of(Row.of("Exists already: V")), rows("CREATE VIEW IF NOT EXISTS V AS SELECT v FROM s"));
    assertEquals(List.of(Row.of("Exists already: s")), rows("CREATE VIEW IF NOT EXISTS s AS SELECT v FROM s"));
    assertEquals(List.of(Row.of("k", "VARCHAR", true)), rows("DESCRIBE v"));
    session.sql("CREATE OR REPLACE VIEW V AS SELECT v FROM s");
    assertEquals(List.of(Row.of("v", "BIGINT", true)), rows("DESCRIBE v"));
    assertEquals(List.of(Row.of("V")), rows("SHOW VIEWS"));
    assertTrue(fails("DROP STREAM v").contains("'V' is a view; use DROP VIEW V"));
    assertTrue(fails("DROP VIEW s").contains("'s' is a stream, not a view; use DROP STREAM s"));
    assertTrue(fails("INSERT INTO v SELECT v FROM s").contains("'V' is a view (a named query), not a stream or "
        + "table"));
    assertTrue(fails("DROP VIEW w").contains("No view named 'w'"));
    assertEquals(List.of(Row.of("No w to drop")), rows("DROP VIEW IF EXISTS w"));
    assertEquals(List.of(Row.of("Dropped view V")), rows("DROP VIEW v"));
    assertEquals(List.of(), rows("SHOW VIEWS"));
    assertTrue(fails("SELECT * FROM v").contains("No stream, table or view named 'v'"));
  }

  @Test
  void aBadViewIsRefusedWithItsNameAndPlace() {
    String unknown = fails("CREATE VIEW bad AS\n  SELECT kk FROM s");
    assertTrue(unknown.startsWith("In VIEW bad (line 1, column 1): No column named 'kk' (line 2, column 10) (did "
        + "you mean k?)"), unknown);
    assertTrue(fails("CREATE VIEW bad (a, b) AS SELECT k FROM s").contains("In VIEW bad (line 1, column 1): the "
        + "view names 2 columns [a, b] (line 1, column 17) but its query gives 1"));
    assertTrue(fails("CREATE VIEW bad AS SELECT k, k FROM s").contains("two columns named 'k'"));
    assertTrue(fails("CREATE VIEW bad (a, A) AS SELECT k, v FROM s").contains("column 'A' is named twice"));
    assertTrue(fails("CREATE VIEW bad AS SELECT * FROM bad").contains("View bad reads itself"));
    assertTrue(fails("CREATE VIEW nexmark.bad AS SELECT k FROM s").contains("a view's name has one part"));
    assertTrue(fails("CREATE VIEW bad SELECT k FROM s").contains("expected AS and the view's query"));
    assertEquals(List.of(), rows("SHOW VIEWS"));
  }

  @Test
  void viewsThatWouldReadEachOtherAreRefused() {
    session.sql("CREATE VIEW a AS SELECT k, v FROM s");
    session.sql("CREATE VIEW b AS SELECT k, v FROM a");
    session.sql("CREATE VIEW c AS SELECT k, v FROM b");
    String circle = fails("CREATE OR REPLACE VIEW a AS SELECT k, v FROM c");
    assertTrue(circle.contains("through other views (") && circle.contains("CREATE OR REPLACE VIEW or DROP VIEW"),
        circle);
    // A view's own WITH name hides the view it shadows: no circle.
    session.sql("CREATE OR REPLACE VIEW a AS WITH c AS (SELECT k, v FROM s) SELECT k, v FROM c");
    assertEquals(List.of(Row.of("k", "VARCHAR", true), Row.of("v", "BIGINT", true)), rows("DESCRIBE c"));
  }

  @Test
  void aViewWhoseStreamIsGoneSaysSoWhenRead() {
    session.sql("CREATE VIEW a AS SELECT k, v FROM s");
    session.sql("CREATE VIEW b AS SELECT k FROM a");
    session.sql("DROP STREAM s");
    String message = fails("SELECT k FROM b");
    assertTrue(message.startsWith("View a (its query at line 1, column 18) no longer plans: "), message);
    assertTrue(message.contains("No stream, table or view named 's'") && message.contains("CREATE OR REPLACE VIEW a"), message);
    session.sql("CREATE STREAM s (k VARCHAR, v BIGINT) WITH ('connector' = 'memory')");
    assertEquals(List.of(Row.of("k", "VARCHAR", true)), rows("DESCRIBE b"));
  }

  @Test
  void viewsBelongToTheirSession() {
    session.sql("CREATE VIEW a AS SELECT k FROM s");
    try (FreshetSession other = FreshetSession.builder().create()) {
      assertEquals(List.of(), other.sql("SHOW VIEWS").collectAsList());
    }
  }

  @Test
  void helpListsTheViewStatements() {
    String help = String.join("\n", rows("HELP").stream().map(r -> (String) r.get(0)).toList());
    assertTrue(help.contains("CREATE VIEW") && help.contains("SHOW STREAMS | TABLES | VIEWS | QUERIES"), help);
    String create = String.join("\n", rows("HELP CREATE VIEW").stream().map(r -> (String) r.get(0)).toList());
    assertTrue(create.contains("CREATE [OR REPLACE] [TEMPORARY] VIEW"), create);
  }
}
