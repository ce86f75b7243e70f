package io.freshet.sql.dstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.freshet.spark.api.java.JavaRDD;
import io.freshet.spark.streaming.api.java.JavaStreamingContext;
import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.sql.FreshetSession;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import java.util.LinkedList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bridges: a DStream of rows read by SQL, and a SQL query's result consumed as a DStream. */
class SqlBridgeTest {
  private FreshetSession session;
  private JavaStreamingContext ssc;
  private ManualBatches batches;

  @BeforeEach
  void setUp() {
    session = FreshetSession.builder().create();
    ssc = ManualBatches.context("bridge");
    batches = new ManualBatches(ssc);
  }

  @AfterEach
  void tearDown() {
    ssc.stop();
    session.close();
  }

  @Test
  void aDStreamOfRowsIsASqlStream() throws Exception {
    Queue<JavaRDD<Row>> queue = new LinkedList<>();
    queue.add(ssc.sparkContext().parallelize(List.of(Row.of("a", 1L), Row.of("b", 2L), Row.of("a", 3L))));
    queue.add(ssc.sparkContext().parallelize(List.of(Row.of("b", 4L))));
    session.createStream("events", ssc.queueStream(queue),
        RowSchema.of(Column.of("k", TypeKind.VARCHAR), Column.of("v", TypeKind.BIGINT)));
    ssc.start();
    batches.next();
    batches.next();
    StreamingQuery q = session.sql("SELECT k, SUM(v) AS total FROM events GROUP BY k").writeStream()
        .format("memory").queryName("totals").outputMode(OutputMode.COMPLETE).start();
    q.processAllAvailable();
    q.stop();
    List<Row> totals = new java.util.ArrayList<>(session.memoryTableRows("totals"));
    totals.sort(java.util.Comparator.comparing(r -> (String) r.get(0)));
    assertEquals(List.of(Row.of("a", 4L), Row.of("b", 6L)), totals);
  }

  @Test
  void aSqlQuerysResultIsADStream() throws Exception {
    session.sql("CREATE STREAM s (id BIGINT) WITH ('connector' = 'memory')");
    List<String> received = new CopyOnWriteArrayList<>();
    session.sql("SELECT id * 2 AS d FROM s WHERE id > 1").toDStream(ssc)
        .foreachRDD(rdd -> rdd.collect().forEach(r -> received.add(String.valueOf(r.get(0)))));
    ssc.start();
    session.memoryStream("s").addData(Row.of(1L), Row.of(2L), Row.of(3L));
    batches.until(() -> received.size() >= 2);
    assertEquals(List.of("4", "6"), received);
  }
}
