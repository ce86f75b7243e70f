package io.freshet.sql;

import static io.freshet.sql.testing.StreamTest.addData;
import static io.freshet.sql.testing.StreamTest.checkAnswer;
import static io.freshet.sql.testing.StreamTest.checkNewAnswer;
import static io.freshet.sql.testing.StreamTest.startStream;
import static io.freshet.sql.testing.StreamTest.stopStream;

import io.freshet.sql.testing.StreamTest;
import io.freshet.streaming.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SelectStreamTest {
  private FreshetSession session;

  @BeforeEach
  void setUp() {
    session = FreshetSession.builder().create();
    session.sql("CREATE STREAM s (id BIGINT, name VARCHAR, v INT) WITH ('connector' = 'memory')");
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  @Test
  void filtersAndProjectsBatchByBatch() {
    StreamTest.of(session, "SELECT id, UPPER(name) AS n, v * 2 AS dbl FROM s WHERE v > 10").run(
        addData("s", Row.of(1L, "a", 5), Row.of(2L, "b", 20)),
        checkNewAnswer(Row.of(2L, "B", 40)),
        addData("s", Row.of(3L, "c", 11), Row.of(4L, null, 30)),
        checkNewAnswer(Row.of(3L, "C", 22), Row.of(4L, null, 60)),
        checkAnswer(Row.of(2L, "B", 40), Row.of(3L, "C", 22), Row.of(4L, null, 60)));
  }

  @Test
  void restartFromCheckpointNeitherRepeatsNorSkips() {
    StreamTest.of(session, "SELECT id FROM s").run(
        addData("s", Row.of(1L, "a", 1)),
        checkNewAnswer(Row.of(1L)),
        stopStream(),
        addData("s", Row.of(2L, "b", 2)),
        addData("s", Row.of(3L, "c", 3)),
        startStream(),
        checkNewAnswer(Row.of(2L), Row.of(3L)),
        addData("s", Row.of(4L, "d", 4)),
        checkAnswer(Row.of(1L), Row.of(2L), Row.of(3L), Row.of(4L)));
  }

  @Test
  void sameAnswersWithARestartAfterEveryAction() {
    StreamTest.of(session, "SELECT name || '!' AS x FROM s WHERE name LIKE 'a%'").restartAfterEveryAction().run(
        addData("s", Row.of(1L, "ab", 1), Row.of(2L, "ba", 1)),
        checkNewAnswer(Row.of("ab!")),
        addData("s", Row.of(3L, "a", 1)),
        checkAnswer(Row.of("ab!"), Row.of("a!")));
  }
}
