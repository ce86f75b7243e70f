package io.freshet.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.freshet.exec.memory.MemoryStream;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Json;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import io.freshet.streaming.StreamingQueryException;
import io.freshet.streaming.StreamingQueryProgress;
import io.freshet.streaming.Trigger;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java API in the shape of Spark Structured Streaming. */
class StreamingQueryApiTest {
  @TempDir
  Path dir;
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();
  private FreshetSession session;

  @BeforeEach
  void setUp() {
    session = FreshetSession.builder().master("local[2]").appName("api-test")
        .console(new PrintStream(console, true, StandardCharsets.UTF_8)).create();
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  @Test
  void processAllAvailableReturnsOnASourceThatAlwaysHasDataAndOnOneThatHasNoneYet() throws Exception {
    // An endless Nexmark stream releases events all the time: the call waits for those there when it began (the
    // 100 000 of the two seconds before the start, and those released until the first trigger).
    long base = System.currentTimeMillis() - 2000;
    session.sql("CREATE STREAM endless WITH ('connector' = 'nexmark', 'events-per-second' = '50000', "
        + "'base-time' = '" + base + "')");
    StreamingQuery busy = session.sql("SELECT auction FROM endless").writeStream()
        .foreachBatch((rows, id) -> { }).start();
    for (int call = 0; call < 2; call++) {
      // The events released by the time of the call (50 per ms since the base time) are all read when it returns.
      long released = (System.currentTimeMillis() - base) * 50;
      busy.processAllAvailable();
      assertTrue(busy.isActive());
      String end = busy.lastProgress().sources().get(0).endOffset();
      long read = Json.MAPPER.readTree(end).get("events").asLong();
      assertTrue(read >= released, "call " + call + ": read " + read + " of the " + released + " released");
    }
    busy.stop();

    // A stream with nothing in it: the first trigger finds no data, and says so in a progress report.
    session.sql("CREATE STREAM quiet (a BIGINT) WITH ('connector' = 'memory')");
    StreamingQuery idle = session.sql("SELECT a FROM quiet").writeStream().format("memory").queryName("quiet_out")
        .start();
    idle.processAllAvailable();
    StreamingQueryProgress progress = idle.lastProgress();
    assertNotNull(progress);
    assertEquals(0, progress.batchId());
    assertEquals(0, progress.numInputRows());
    session.memoryStream("quiet").addData(List.of(Row.of(7L)));
    idle.processAllAvailable();
    assertEquals(List.of(Row.of(7L)), session.memoryTableRows("quiet_out"));
    assertEquals(1, idle.lastProgress().numInputRows());
    idle.stop();
  }

  @Test
  void loadTakesThePathOfTheFilesAsSparksDoes() throws Exception {
    Path bids = dir.resolve("bids");
    java.nio.file.Files.createDirectories(bids);
    java.nio.file.Files.writeString(bids.resolve("part-1.csv"), "1,10\n2,25\n3,40\n");
    session.readStream().format("file").option("format", "csv").option("bounded", "true")
        .schema("auction BIGINT, price BIGINT").load(bids.toString()).createOrReplaceTempView("file_bids");
    assertEquals(List.of(Row.of(3L, 75L)), session.sql("SELECT COUNT(*), SUM(price) FROM file_bids").collectAsList());
  }

  @Test
  void toTableWritesIntoATableOfTheCatalogOrANewMemoryTable() throws Exception {
    Dataset bids = session.readStream().format("nexmark").option("table", "bid").option("events", 1000)
        .option("base-time", "2026-01-01 00:00:00").load();
    bids.createOrReplaceTempView("few_bids");
    // A name the catalog lacks: a memory table, which SQL reads.
    StreamingQuery fresh = session.sql("SELECT auction, price FROM few_bids").writeStream().toTable("fresh");
    fresh.awaitTermination();
    assertEquals("fresh", fresh.name());
    assertEquals(List.of(Row.of(920L)), session.sql("SELECT COUNT(*) FROM fresh").collectAsList());
    // A sink table declared in SQL, whose options (here its output mode) the query takes.
    session.sql("CREATE TABLE per_channel WITH ('connector' = 'memory', 'output-mode' = 'complete')");
    StreamingQuery totals = session.sql("SELECT channel, COUNT(*) AS n FROM few_bids GROUP BY channel")
        .writeStream().toTable("per_channel");
    totals.awaitTermination();
    assertEquals(List.of(Row.of(920L)), session.sql("SELECT SUM(n) FROM per_channel").collectAsList());
    FreshetException stream = assertThrows(FreshetException.class,
        () -> session.sql("SELECT auction FROM few_bids").writeStream().toTable("few_bids"));
    assertTrue(stream.getMessage().contains("is a stream (an input)"), stream.getMessage());
  }

  @Test
  void readStreamToMemorySinkWithProgress() throws Exception {
    session.readStream().format("nexmark").option("table", "bid").option("events", 5000)
        .option("base-time", "2026-01-01 00:00:00").load().createOrReplaceTempView("bids");
    StreamingQuery query = session.sql("SELECT auction, price FROM bids WHERE price > 1000000").writeStream()
        .format("memory").queryName("rich").outputMode("append")
        .option("checkpointLocation", dir.toString()).start();
    assertEquals("rich", query.name());
    query.awaitTermination();
    assertFalse(query.isActive());
    assertNull(query.exception());
    assertEquals("Stopped", query.status().message());

    List<Row> rows = session.sql("SELECT * FROM rich").collectAsList();
    assertFalse(rows.isEmpty());
    assertTrue(rows.stream().allMatch(r -> r.getLong(1) > 1_000_000));
    assertEquals(rows, session.memoryTableRows("rich"));

    StreamingQueryProgress progress = query.lastProgress();
    assertEquals(0, progress.batchId());
    assertEquals(4600, progress.numInputRows());
    assertEquals(rows.size(), progress.sink().numOutputRows());
    assertEquals(query.id().toString(), progress.id());
    // Spark's durations; the whole trigger covers asking the sources, the offset log and the batch.
    Map<String, Long> d = progress.durationMs();
    assertTrue(d.keySet().containsAll(List.of("latestOffset", "walCommit", "addBatch", "commitOffsets",
        "triggerExecution")), d.toString());
    assertTrue(d.get("triggerExecution") >= d.get("walCommit") + d.get("addBatch") + d.get("commitOffsets") - 2,
        d.toString());
    JsonNode json = Json.MAPPER.readTree(progress.json());
    for (String field : List.of("id", "runId", "name", "timestamp", "batchId", "numInputRows", "inputRowsPerSecond",
        "processedRowsPerSecond", "durationMs", "eventTime", "stateOperators", "sources", "sink")) {
      assertTrue(json.has(field), "progress JSON lacks " + field + ": " + progress.json());
    }
    assertEquals("NexmarkSource[bid]", json.get("sources").get(0).get("description").asText());
    assertEquals(4600, json.get("sources").get(0).get("numInputRows").asLong());
    assertEquals(List.of(progress), query.recentProgress());
  }

  @Test
  void availableNowProcessesWhatIsThereAtStartThenStops() {
    session.sql("CREATE STREAM s (v BIGINT) WITH ('connector' = 'memory')");
    MemoryStream input = session.memoryStream("s");
    input.addData(Row.of(1L));
    input.addData(Row.of(2L));
    StreamingQuery query = session.sql("SELECT v FROM s").writeStream().format("memory").queryName("now")
        .trigger(Trigger.AvailableNow()).start();
    query.awaitTermination();
    input.addData(Row.of(3L));
    assertEquals(List.of(Row.of(1L), Row.of(2L)), session.memoryTableRows("now"));
    assertFalse(query.isActive());
  }

  @Test
  void availableNowReadsEverythingInAsManyBatchesAsTheSourceNeeds() {
    session.sql("CREATE STREAM people WITH ('connector' = 'nexmark', 'table' = 'person', 'events' = '5000',"
        + " 'max-events-per-batch' = '1000')");
    StreamingQuery query = session.sql("SELECT id FROM people").writeStream().format("memory").queryName("p")
        .trigger(Trigger.AvailableNow()).start();
    query.awaitTermination();
    assertEquals(100, session.memoryTableRows("p").size());
    assertEquals(5, query.recentProgress().size());
  }

  @Test
  void twoRunningQueriesCannotShareACheckpoint() {
    session.sql("CREATE STREAM s (v BIGINT) WITH ('connector' = 'memory')");
    StreamingQuery first = session.sql("SELECT v FROM s").writeStream().format("memory").queryName("a")
        .option("checkpointLocation", dir.toString()).start();
    var e = assertThrows(io.freshet.streaming.FreshetException.class, () -> session.sql("SELECT v FROM s")
        .writeStream().format("memory").queryName("b").option("checkpointLocation", dir.toString()).start());
    assertTrue(e.getMessage().contains("is in use by query a in process " + ProcessHandle.current().pid()),
        e.getMessage());
    first.stop();
    // Once the first has stopped, the checkpoint is free again.
    StreamingQuery again = session.sql("SELECT v FROM s").writeStream().format("memory").queryName("b")
        .option("checkpointLocation", dir.toString()).start();
    again.stop();
  }

  @Test
  void aSecondSessionOnARunningQuerysCheckpointIsRefusedNamingTheOwner() throws Exception {
    // The lock is the operating system's: a query in another session (or process) is refused the same way.
    session.sql("CREATE STREAM s (v BIGINT) WITH ('connector' = 'memory')");
    StreamingQuery first = session.sql("SELECT v FROM s").writeStream().format("memory").queryName("first")
        .option("checkpointLocation", dir.toString()).start();
    try (FreshetSession other = FreshetSession.builder().create()) {
      other.sql("CREATE STREAM s (v BIGINT) WITH ('connector' = 'memory')");
      var e = assertThrows(io.freshet.streaming.FreshetException.class, () -> other.sql("SELECT v FROM s")
          .writeStream().format("memory").queryName("second").option("checkpointLocation", dir.toString()).start());
      assertTrue(e.getMessage().contains("The checkpoint " + dir + " is in use by query first in process"),
          e.getMessage());
      assertTrue(e.getMessage().contains("stop that query first, or give this one another checkpoint location"),
          e.getMessage());
    } finally {
      first.stop();
    }
  }

  @Test
  void waitingForTheQueryFromItsOwnThreadFailsInsteadOfHanging() {
    session.sql("CREATE STREAM s (v BIGINT) WITH ('connector' = 'memory')");
    session.memoryStream("s").addData(Row.of(1L));
    StreamingQuery[] self = new StreamingQuery[1];
    StreamingQuery query = session.sql("SELECT v FROM s").writeStream()
        .foreachBatch((rows, id) -> {
          while (self[0] == null) {
            Thread.onSpinWait();
          }
          self[0].processAllAvailable();
        }).start();
    self[0] = query;
    StreamingQueryException e = assertThrows(StreamingQueryException.class, query::awaitTermination);
    assertTrue(e.getMessage().contains("it would wait for itself"), e.getMessage());
  }

  @Test
  void aMemoryTableReadsAsOfTheBatchItHeldWhenTheReaderStarted() {
    session.sql("CREATE STREAM s (v BIGINT) WITH ('connector' = 'memory')");
    MemoryStream input = session.memoryStream("s");
    StreamingQuery writer = session.sql("SELECT v FROM s").writeStream().format("memory").queryName("t").start();
    input.addData(Row.of(1L));
    writer.processAllAvailable();
    input.addData(Row.of(2L));
    writer.processAllAvailable();
    assertEquals(List.of(Row.of(1L), Row.of(2L)), session.sql("SELECT v * 10 FROM t").collectAsList()
        .stream().map(r -> Row.of(r.getLong(0) / 10)).toList());
    writer.stop();
  }

  @Test
  void processingTimeTriggerStartsBatchesOnTheInterval() {
    session.sql("CREATE STREAM s (v BIGINT) WITH ('connector' = 'memory')");
    MemoryStream input = session.memoryStream("s");
    input.addData(Row.of(1L));
    StreamingQuery query = session.sql("SELECT v FROM s").writeStream().format("memory").queryName("ticks")
        .trigger(Trigger.ProcessingTime("100 ms")).start();
    query.processAllAvailable();
    input.addData(Row.of(2L));
    query.processAllAvailable();
    query.stop();
    List<StreamingQueryProgress> batches = query.recentProgress();
    assertEquals(2, batches.size());
    long first = java.time.Instant.parse(batches.get(0).timestamp()).toEpochMilli();
    long second = java.time.Instant.parse(batches.get(1).timestamp()).toEpochMilli();
    // The first batch runs at start; the next waits for the next multiple of the interval, as in Spark.
    assertTrue(second >= (first / 100 + 1) * 100, "batch 0 at " + first + ", batch 1 at " + second);
  }

  @Test
  void aFailingBatchEndsTheQueryWithItsError() {
    session.sql("CREATE STREAM s (v BIGINT) WITH ('connector' = 'memory')");
    session.memoryStream("s").addData(Row.of(1L));
    StreamingQuery query = session.sql("SELECT v FROM s").writeStream()
        .foreachBatch((rows, id) -> {
          throw new IllegalStateException("downstream is full");
        }).start();
    StreamingQueryException e = assertThrows(StreamingQueryException.class, query::awaitTermination);
    assertTrue(e.getMessage().contains("downstream is full"), e.getMessage());
    assertNotNull(query.exception());
    assertThrows(StreamingQueryException.class, query::processAllAvailable);
    assertTrue(session.streams().active().isEmpty());
  }

  @Test
  void consoleSinkPrintsBatchesLikeSpark() {
    session.sql("CREATE STREAM s (word VARCHAR, n BIGINT) WITH ('connector' = 'memory')");
    session.memoryStream("s").addData(Row.of("freshet", 1L), Row.of("a-rather-long-word-indeed", 22L));
    StreamingQuery query = session.sql("SELECT word, n FROM s").writeStream().format("console")
        .outputMode(OutputMode.Append()).trigger(Trigger.AvailableNow()).start();
    query.awaitTermination();
    assertEquals("""
        -------------------------------------------
        Batch: 0
        -------------------------------------------
        +--------------------+---+
        |                word|  n|
        +--------------------+---+
        |             freshet|  1|
        |a-rather-long-word...| 22|
        +--------------------+---+

        """.replace("a-rather-long-word...", "a-rather-long-wor..."), console.toString(StandardCharsets.UTF_8));
  }

  @Test
  void completeModeWithoutAnAggregationIsRefusedAtStart() {
    session.sql("CREATE STREAM s (v BIGINT) WITH ('connector' = 'memory')");
    var e = assertThrows(io.freshet.streaming.FreshetException.class, () -> session.sql("SELECT v FROM s")
        .writeStream().format("memory").queryName("all").outputMode("complete").start());
    assertTrue(e.getMessage().contains("needs an aggregation"), e.getMessage());
  }

  @Test
  void runningOutOfArrowMemoryNamesTheStepAndTheLimit() {
    try (FreshetSession small = FreshetSession.builder().memoryLimit(256 * 1024).create()) {
      small.sql("CREATE STREAM bid WITH ('connector' = 'nexmark', 'events' = '100000', 'batch-size' = '65536')");
      StreamingQuery query = small.sql("SELECT auction FROM bid").writeStream().format("memory").queryName("q")
          .start();
      StreamingQueryException e = assertThrows(StreamingQueryException.class, query::awaitTermination);
      assertTrue(e.getMessage().contains("Out of memory in NexmarkSource[bid]"), e.getMessage());
      assertTrue(e.getMessage().contains("262144 bytes"), e.getMessage());
      assertEquals(io.freshet.streaming.FreshetException.Kind.RESOURCES, e.kind());
    }
  }

  @Test
  void anUnknownSinkOptionIsRefusedAtStart() {
    session.sql("CREATE STREAM s (v BIGINT) WITH ('connector' = 'memory')");
    var e = assertThrows(io.freshet.streaming.FreshetException.class, () -> session.sql("SELECT v FROM s")
        .writeStream().format("console").option("numRow", "5").start());
    assertTrue(e.getMessage().contains("numRows"), e.getMessage());
  }
}
