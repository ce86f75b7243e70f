package io.freshet.sql.join;

import static io.freshet.sql.testing.StreamTest.addData;
import static io.freshet.sql.testing.StreamTest.checkNewAnswer;
import static io.freshet.sql.testing.StreamTest.execute;
import static io.freshet.sql.testing.StreamTest.startStream;
import static io.freshet.sql.testing.StreamTest.stopStream;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.sql.FreshetSession;
import io.freshet.sql.testing.StreamTest;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Row;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream joined with a bounded table of CSV files: read when the query starts, read again at a restart, on change
 * or every N batches when asked, and refused for the outer joins a stream cannot finish.
 */
class StaticJoinTest {
  private static final String QUERY = "SELECT c.user_id, c.url, u.name FROM clicks c LEFT JOIN users u "
      + "ON c.user_id = u.id";

  @TempDir
  Path dir;

  private FreshetSession session;

  @BeforeEach
  void setUp() throws IOException {
    session = FreshetSession.builder().master("local[2]").create();
    session.sql("CREATE STREAM clicks (user_id VARCHAR, url VARCHAR, ts TIMESTAMP(3), "
        + "WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory')");
    Files.writeString(dir.resolve("users-1.csv"), "ann,Ann Lee\nbob,Bob Ray\n");
    session.sql("CREATE STREAM users (id VARCHAR, name VARCHAR) WITH ('connector' = 'file', 'path' = '" + dir
        + "', 'format' = 'csv', 'bounded' = 'true')");
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  private static Row click(String user, String url, int second) {
    return Row.of(user, url, LocalDateTime.of(2026, 1, 1, 0, 0, second));
  }

  private StreamTest.Action addUser(String line) {
    return execute("a user file added", q -> {
      try {
        Files.writeString(dir.resolve("users-" + System.nanoTime() + ".csv"), line + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

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
