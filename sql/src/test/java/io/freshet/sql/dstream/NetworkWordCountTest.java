package io.freshet.sql.dstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.freshet.spark.streaming.api.java.JavaPairDStream;
import io.freshet.spark.streaming.api.java.JavaReceiverInputDStream;
import io.freshet.spark.streaming.api.java.JavaStreamingContext;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;

/** Spark's NetworkWordCount example, ported by its imports, over Freshet's socket connector. */
class NetworkWordCountTest {
  @TempDir
  Path tmp;

  @Test
  void countsTheWordsOfEachBatchFromASocket() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      JavaStreamingContext ssc = ManualBatches.context("NetworkWordCount");
      ManualBatches batches = new ManualBatches(ssc);
      ssc.checkpoint(tmp.resolve("cp").toString());
      // As in Spark's example.
      JavaReceiverInputDStream<String> lines = ssc.socketTextStream("127.0.0.1", server.getLocalPort());
      JavaPairDStream<String, Integer> wordCounts = lines.flatMap(x -> Arrays.asList(x.split(" ")).iterator())
          .mapToPair(s -> new Tuple2<>(s, 1)).reduceByKey((i1, i2) -> i1 + i2);
      Map<String, Integer> total = new TreeMap<>();
      wordCounts.foreachRDD(rdd -> rdd.collect().forEach(kv -> total.merge(kv._1(), kv._2(), Integer::sum)));
      ssc.start();
      try (Socket peer = server.accept()) {
        OutputStream out = peer.getOutputStream();
        out.write("to be or\nnot to be\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        // The lines reach the source's log asynchronously: run batches until they are counted.
        batches.until(() -> total.equals(Map.of("be", 2, "not", 1, "or", 1, "to", 2)));
      }
      ssc.stop();
      assertEquals(Map.of("be", 2, "not", 1, "or", 1, "to", 2), total);
    }
  }
}
