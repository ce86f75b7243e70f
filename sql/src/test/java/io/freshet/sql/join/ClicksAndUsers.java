package io.freshet.sql.join;

import static io.freshet.sql.testing.StreamTest.execute;

import io.freshet.sql.FreshetSession;
import io.freshet.sql.testing.StreamTest;
import io.freshet.streaming.Row;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the stream–static join tests share: a stream of clicks (in memory) and a bounded table of users read from
 * CSV files in a directory of the test's own, which a test may add a file to while a query runs.
 */
abstract class ClicksAndUsers {
  @TempDir
  Path dir;

  FreshetSession session;

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

  static Row click(String user, String url, int second) {
    return Row.of(user, url, LocalDateTime.of(2026, 1, 1, 0, 0, second));
  }

  /** A step that adds a file of users (one CSV line) to the table's directory. */
  StreamTest.Action addUser(String line) {
    return execute("a user file added", q -> {
      try {
        Files.writeString(dir.resolve("users-" + System.nanoTime() + ".csv"), line + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}
