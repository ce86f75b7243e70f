package io.freshet.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import sqlline.SqlLine;

/** A session of SQLLine, a JDBC client from Maven Central, against the in-process driver. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SqlLineTest {

  @Test
  void connectSelectAndListTables(@TempDir Path dir) throws Exception {
    Path script = dir.resolve("session.sql");
    Files.writeString(script, """
        !connect jdbc:freshet:parallelism=1 user secret
        CREATE STREAM few WITH ('connector' = 'nexmark', 'table' = 'bid', 'events' = '100');
        SELECT COUNT(*) AS bids, MIN(price) > 0 AS priced FROM few;
        !tables
        !quit
        """);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    SqlLine sqlLine = new SqlLine();
    sqlLine.setOutputStream(out);
    sqlLine.setErrorStream(out);
    SqlLine.Status status = sqlLine.begin(new String[] {"--color=false", "--incremental=false",
        "--run=" + script}, new ByteArrayInputStream(new byte[0]), false);
    String output = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(SqlLine.Status.OK, status, output);
    // The SELECT's table: its header and its one row.
    assertTrue(output.matches("(?s).*\\|\\s*BIDS\\s*\\|\\s*PRICED\\s*\\|.*|(?s).*\\|\\s*bids\\s*\\|\\s*priced\\s*\\|.*"),
        output);
    assertTrue(output.matches("(?s).*\\|\\s*92\\s*\\|\\s*true\\s*\\|.*"), output);
    // !tables lists the user's stream and the built-in ones with their schema.
    assertTrue(output.matches("(?s).*\\|\\s*\\|\\s*few\\s*\\|\\s*STREAM\\s*\\|.*"), output);
    assertTrue(output.matches("(?s).*\\|\\s*nexmark\\s*\\|\\s*bid\\s*\\|\\s*STREAM\\s*\\|.*"), output);
  }
}
