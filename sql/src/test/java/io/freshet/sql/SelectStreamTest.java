package io.freshet.sql;

import static io.freshet.sql.testing.StreamTest.addData;
import static io.freshet.sql.testing.StreamTest.checkAnswer;
import static io.freshet.sql.testing.StreamTest.checkNewAnswer;
import static io.freshet.sql.testing.StreamTest.execute;
import static io.freshet.sql.testing.StreamTest.expectFailure;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.freshet.sql.testing.StreamTest.startStream;
import static io.freshet.sql.testing.StreamTest.stopStream;

import io.freshet.exec.engine.StreamExecution;
import io.freshet.sql.testing.StreamTest;
import io.freshet.streaming.FreshetException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
  void aFailedCommitStopsTheQueryAndARestartDeliversEachRowOnce() {
    Path[] commits = new Path[1];
    StreamTest.of(session, "SELECT id FROM s").run(
        addData("s", Row.of(1L, "a", 1)),
        checkNewAnswer(Row.of(1L)),
        execute("make the commit log unwritable", q -> {
          commits[0] = ((StreamExecution) q).checkpointLocation().resolve("commits");
          replace(commits[0], true);
        }),
        addData("s", Row.of(2L, "b", 2)),
        expectFailure("Cannot write checkpoint file"),
        execute("repair the commit log", q -> replace(commits[0], false)),
        startStream(),
        // Batch 1 runs again; the sink already holds it, so row 2 is there once.
        checkAnswer(Row.of(1L), Row.of(2L)),
        addData("s", Row.of(3L, "c", 3)),
        checkNewAnswer(Row.of(3L)));
  }

  /** Swaps a directory for a plain file of the same name (so writes into it fail), or back. */
  private static void replace(Path dir, boolean withFile) {
    try {
      if (withFile) {
        try (var files = Files.list(dir)) {
          for (Path p : files.toList()) {
            Files.move(p, dir.resolveSibling("saved-" + p.getFileName()));
          }
        }
        Files.delete(dir);
        Files.writeString(dir, "not a directory");
      } else {
        Files.delete(dir);
        Files.createDirectory(dir);
        try (var files = Files.list(dir.getParent())) {
          for (Path p : files.filter(f -> f.getFileName().toString().startsWith("saved-")).toList()) {
            Files.move(p, dir.resolve(p.getFileName().toString().substring("saved-".length())));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aStreamInUseCannotBeDropped() {
    StreamTest.of(session, "SELECT id FROM s").run(
        execute("drop the stream", q -> {
          var e = assertThrows(FreshetException.class, () -> session.sql("DROP STREAM s"));
          assertTrue(e.getMessage().contains("stop it first with STOP QUERY"), e.getMessage());
        }));
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
