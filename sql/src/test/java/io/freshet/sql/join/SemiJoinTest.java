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
 * {@code IN}, {@code NOT IN} and {@code EXISTS} over a bounded table of CSV files (a semi or anti stream–static
 * join): each stream row passes once or not at all, the table is read again on change or at a restart, and NOT IN
 * keeps SQL's nulls (an empty CSV field is NULL).
 */
class SemiJoinTest extends ClicksAndUsers {
  @Test
  void inPassesEachRowOnceHoweverManyTableRowsMatch() {
    session.sql("SET 'static-join.reload' = 'on-change'");
    StreamTest.of(session, "SELECT user_id, url FROM clicks WHERE user_id IN (SELECT id FROM users)").run(
        addData("clicks", click("ann", "/a", 1), click("cid", "/c", 2), click(null, "/n", 3)),
        checkNewAnswer(Row.of("ann", "/a")),
        addUser("ann,Ann Again"),
        addUser("cid,Cid Moe"),
        addData("clicks", click("ann", "/b", 4), click("cid", "/d", 5), click("dan", "/e", 6)),
        checkNewAnswer(Row.of("ann", "/b"), Row.of("cid", "/d")));
  }

  @Test
  void existsWithACorrelatedConditionReadsTheTableAgainAtARestart() {
    StreamTest.of(session, "SELECT c.user_id, c.url FROM clicks c WHERE EXISTS (SELECT 1 FROM users u WHERE "
        + "u.id = c.user_id AND c.url = '/' || u.name)").run(
        addData("clicks", click("ann", "/Ann Lee", 1), click("ann", "/Bob Ray", 2), click("cid", "/Cid Moe", 3)),
        checkNewAnswer(Row.of("ann", "/Ann Lee")),
        addUser("cid,Cid Moe"),
        stopStream(),
        startStream(),
        addData("clicks", click("cid", "/Cid Moe", 4)),
        checkNewAnswer(Row.of("cid", "/Cid Moe")));
  }

  @Test
  void notInIsUnknownForANullKeyAndForEveryRowOnceTheTableHasANull() {
    StreamTest.of(session, "SELECT user_id, url FROM clicks WHERE user_id NOT IN (SELECT id FROM users)").run(
        addData("clicks", click("ann", "/a", 1), click("cid", "/c", 2), click(null, "/n", 3)),
        checkNewAnswer(Row.of("cid", "/c")),
        addUser(",Nobody"),
        stopStream(),
        startStream(),
        addData("clicks", click("cid", "/d", 4), click(null, "/m", 5)),
        checkNewAnswer());
  }

  @Test
  void notInAndNotExistsOfAnEmptySetPassEveryRow() {
    StreamTest.of(session, "SELECT user_id, url FROM clicks WHERE user_id NOT IN (SELECT id FROM users WHERE "
        + "name = 'nobody') AND NOT EXISTS (SELECT 1 FROM users WHERE name = 'nobody')").run(
        addData("clicks", click("ann", "/a", 1), click(null, "/n", 2)),
        checkNewAnswer(Row.of("ann", "/a"), Row.of(null, "/n")));
  }

  private void refused(String sql, String part) {
    FreshetException e = assertThrows(FreshetException.class, () -> session.sql(sql));
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }

  @Test
  void whatCannotRunIsRefusedWithWhatToWriteInstead() {
    refused("SELECT url FROM clicks c WHERE EXISTS (SELECT 1 FROM clicks d WHERE d.url = c.url AND d.ts < c.ts)",
        "over the stream clicks are not supported");
    refused("SELECT url FROM clicks c WHERE c.user_id NOT IN (SELECT id FROM users u WHERE u.name <> c.url)",
        "Write NOT EXISTS (SELECT 1 FROM t WHERE t.x = s.k ...)");
    refused("SELECT url FROM clicks c WHERE c.user_id IN (SELECT id FROM users) OR c.url = '/'",
        "not inside OR");
    refused("SELECT url FROM clicks c WHERE c.user_id IN (SELECT id FROM users GROUP BY id HAVING COUNT(*) > 1)",
        "a GROUP BY, join or UNION in it is not supported yet");
  }
}
