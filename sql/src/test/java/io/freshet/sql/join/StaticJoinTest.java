package io.freshet.sql.join;

import static io.freshet.sql.testing.StreamTest.addData;
import static io.freshet.sql.testing.StreamTest.checkNewAnswer;
import static io.freshet.sql.testing.StreamTest.startStream;
import static io.freshet.sql.testing.StreamTest.stopStream;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.sql.testing.StreamTest;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Row;
import org.junit.jupiter.api.Test;

/**
 * A stream joined with a bounded table of CSV files: read when the query starts, read again at a restart, on change
 * or every N batches when asked, and refused for the outer joins a stream cannot finish.
 */
class StaticJoinTest extends ClicksAndUsers {
  private static final String QUERY = "SELECT c.user_id, c.url, u.name FROM clicks c LEFT JOIN users u "
      + "ON c.user_id = u.id";

  @Test
  void theTableIsReadWhenTheQueryStartsAndAgainAtARestart() {
    StreamTest.of(session, QUERY).run(
        addData("clicks", click("ann", "/a", 1), click("cid", "/c", 2)),
        checkNewAnswer(Row.of("ann", "/a", "Ann Lee"), Row.of("cid", "/c", null)),
        addUser("cid,Cid Moe"),
        // Read at the start only: the new user is not seen until the query starts again.
        addData("clicks", click("cid", "/d", 3)),
        checkNewAnswer(Row.of("cid", "/d", null)),
        stopStream(),
        startStream(),
        addData("clicks", click("cid", "/e", 4)),
        checkNewAnswer(Row.of("cid", "/e", "Cid Moe")));
  }

  @Test
  void onChangeTheTableIsReadAgainBeforeTheNextBatch() {
    session.sql("SET 'static-join.reload' = 'on-change'");
    StreamTest.of(session, QUERY).run(
        addData("clicks", click("cid", "/c", 2)),
        checkNewAnswer(Row.of("cid", "/c", null)),
        addUser("cid,Cid Moe"),
        addData("clicks", click("cid", "/d", 3), click("bob", "/b", 3)),
        checkNewAnswer(Row.of("cid", "/d", "Cid Moe"), Row.of("bob", "/b", "Bob Ray")));
  }

  @Test
  void everyNBatchesTheTableIsReadAgain() {
    session.sql("SET 'static-join.reload' = 'every 2 batches'");
    StreamTest.of(session, QUERY).run(
        addData("clicks", click("cid", "/c", 2)),
        checkNewAnswer(Row.of("cid", "/c", null)),
        addUser("cid,Cid Moe"),
        // The second batch still uses the table read at the first; the third reads it again.
        addData("clicks", click("cid", "/d", 3)),
        checkNewAnswer(Row.of("cid", "/d", null)),
        addData("clicks", click("cid", "/e", 4)),
        checkNewAnswer(Row.of("cid", "/e", "Cid Moe")));
  }

  @Test
  void outerJoinsThatWouldWaitForeverAndBadSettingsAreRefused() {
    FreshetException full = assertThrows(FreshetException.class, () -> session.sql(
        "SELECT * FROM clicks c FULL JOIN users u ON c.user_id = u.id"));
    assertTrue(full.getMessage().contains("FULL OUTER join of a stream with the static table users"),
        full.getMessage());
    FreshetException setting = assertThrows(FreshetException.class,
        () -> session.sql("SET 'static-join.reload' = 'sometimes'"));
    assertTrue(setting.getMessage().contains("'never', 'on-change' or 'every N batches'"), setting.getMessage());
  }
}
