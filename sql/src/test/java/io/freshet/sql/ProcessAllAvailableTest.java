package io.freshet.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.streaming.Json;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import io.freshet.streaming.Trigger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code processAllAvailable()} returns once the data there when it was called is processed, on sources that never
 * run dry and on those that grow while the query runs (Nexmark's endless generator is in StreamingQueryApiTest).
 */
class ProcessAllAvailableTest {
  @TempDir
  Path dir;
  private FreshetSession session;

  @BeforeEach
  void setUp() {
    session = FreshetSession.builder().master("local[2]").appName("process-all-available").create();
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  @Test
  void anEndlessRateStreamIsReadUpToTheRowsDueWhenCalled() throws Exception {
    session.sql("CREATE STREAM ticks WITH ('connector' = 'rate', 'rowsPerSecond' = '2000')");
    StreamingQuery query = session.sql("SELECT `value` FROM ticks").writeStream().foreachBatch((rows, id) -> { })
        .start();
    // The stream's clock starts at the first trigger: the rows due are counted from the time its offsets give.
    Thread.sleep(100);
    query.processAllAvailable();
    long startTime = Json.MAPPER.readTree(query.lastProgress().sources().get(0).endOffset()).get("startTime")
        .asLong();
    for (int call = 0; call < 2; call++) {
      Thread.sleep(100);
      long due = (System.currentTimeMillis() - startTime) * 2000 / 1000;
      query.processAllAvailable();
      assertTrue(query.isActive());
      long read = Json.MAPPER.readTree(query.lastProgress().sources().get(0).endOffset()).get("rows").asLong();
      assertTrue(read >= due, "call " + call + ": read " + read + " of the " + due + " rows due");
    }
    query.stop();
  }

  @Test
  void filesAddedWhileTheQueryRunsAreAllReadThoughEachBatchTakesOne() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    session.sql("CREATE STREAM lines (`value` VARCHAR) WITH ('connector' = 'file', 'path' = '" + in + "', "
        + "'maxFilesPerTrigger' = '1')");
    StreamingQuery query = session.sql("SELECT `value` FROM lines").writeStream().format("memory")
        .queryName("lines_out").start();
    query.processAllAvailable();
    for (int i = 0; i < 3; i++) {
      Files.writeString(in.resolve("f" + i + ".txt"), "line " + i + "\n");
    }
    query.processAllAvailable();
    assertEquals(List.of(Row.of("line 0"), Row.of("line 1"), Row.of("line 2")),
        session.memoryTableRows("lines_out"));
    query.stop();
  }

  @Test
  void aProcessingTimeTriggerReturnsAfterTheNextTriggerProcessedTheData() {
    session.sql("CREATE STREAM s (v BIGINT) WITH ('connector' = 'memory')");
    StreamingQuery query = session.sql("SELECT v FROM s").writeStream().format("memory").queryName("s_out")
        .trigger(Trigger.ProcessingTime(200)).start();
    query.processAllAvailable();
    session.memoryStream("s").addData(Row.of(1L), Row.of(2L));
    query.processAllAvailable();
    assertEquals(List.of(Row.of(1L), Row.of(2L)), session.memoryTableRows("s_out"));
    query.stop();
  }
}
