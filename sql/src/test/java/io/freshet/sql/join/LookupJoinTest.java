package io.freshet.sql.join;

import static io.freshet.sql.testing.StreamTest.addData;
import static io.freshet.sql.testing.StreamTest.checkNewAnswer;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.sql.testing.StreamTest;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Row;
import org.junit.jupiter.api.Test;

/**
 * Flink's processing-time lookup join: a stream joined {@code FOR SYSTEM_TIME AS OF} a processing time with a static
 * table runs as the stream–static join, each row meeting the table as it is when the row's batch runs.
 */
class LookupJoinTest extends ClicksAndUsers {
  private static final String QUERY = "SELECT c.user_id, c.url, u.name FROM (SELECT *, PROCTIME() AS p_time "
      + "FROM clicks) c LEFT JOIN users FOR SYSTEM_TIME AS OF c.p_time AS u ON LOWER(c.user_id) = u.id";

  @Test
  void eachRowMeetsTheTableAsItIsWhenItsBatchRuns() {
    session.sql("SET 'static-join.reload' = 'on-change'");
    StreamTest.of(session, QUERY).run(
        addData("clicks", click("ANN", "/a", 1), click("cid", "/c", 2)),
        checkNewAnswer(Row.of("ANN", "/a", "Ann Lee"), Row.of("cid", "/c", null)),
        addUser("cid,Cid Moe"),
        addData("clicks", click("Cid", "/d", 3)),
        checkNewAnswer(Row.of("Cid", "/d", "Cid Moe")));
    String plan = session.sql(QUERY).explain();
    assertTrue(plan.contains("StaticJoin"), plan);
  }

  @Test
  void anInnerLookupJoinDropsRowsWithoutAMatch() {
    StreamTest.of(session, QUERY.replace("LEFT JOIN", "JOIN")).run(
        addData("clicks", click("bob", "/b", 1), click("zed", "/z", 2)),
        checkNewAnswer(Row.of("bob", "/b", "Bob Ray")));
  }

  @Test
  void aLookupNeedsAProcessingTimeAndAStaticTable() {
    String eventTime = fails("SELECT * FROM clicks c JOIN users FOR SYSTEM_TIME AS OF c.ts AS u ON c.user_id = u.id");
    assertTrue(eventTime.contains("FOR SYSTEM_TIME AS OF over the static table users looks it up at a row's "
        + "processing time: name a PROCTIME() column of the stream"), eventTime);
    session.sql("CREATE STREAM names (id VARCHAR, name VARCHAR) WITH ('connector' = 'memory')");
    String stream = fails("SELECT * FROM (SELECT *, PROCTIME() AS p FROM clicks) c JOIN names FOR SYSTEM_TIME AS OF "
        + "c.p AS n ON c.user_id = n.id");
    assertTrue(stream.contains("is not a versioned table") && stream.contains("A static table, a bounded input, is "
        + "looked up AS OF a processing time instead"), stream);
  }

  private String fails(String sql) {
    return assertThrows(FreshetException.class, () -> session.sql(sql).explain()).getMessage();
  }
}
