package io.freshet.sql.dstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.spark.streaming.api.java.JavaStreamingContext;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;

/**
 * getOrCreate after a stop: the factory rebuilds the graph and the run continues from the checkpoint, with the
 * next batch times and the socket input where it was, so no word is counted twice or lost.
 */
class RecoverableNetworkWordCountTest {
  @TempDir
  Path tmp;

  private final List<String> counted = new java.util.concurrent.CopyOnWriteArrayList<>();
  private ManualBatches batches;

  private JavaStreamingContext create(int port, String checkpoint) {
    JavaStreamingContext ssc = ManualBatches.context("RecoverableNetworkWordCount");
    batches = new ManualBatches(ssc);
    ssc.checkpoint(checkpoint);
    ssc.socketTextStream("127.0.0.1", port).flatMap(x -> Arrays.asList(x.split(" ")).iterator())
        .mapToPair(s -> new Tuple2<>(s, 1)).reduceByKey(Integer::sum)
        .foreachRDD((rdd, time) -> rdd.collect().forEach(kv -> counted.add(time.milliseconds() + " " + kv)));
    return ssc;
  }

  private int total() {
    int n = 0;
    for (String c : counted) {
      n += Integer.parseInt(c.substring(c.lastIndexOf(',') + 1, c.length() - 1));
    }
    return n;
  }

  @Test
  void aRestartedProgramGoesOnWhereItStopped() throws Exception {
    String checkpoint = tmp.resolve("cp").toString();
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = server.getLocalPort();
      JavaStreamingContext first = JavaStreamingContext.getOrCreate(checkpoint, () -> create(port, checkpoint));
      first.start();
      try (Socket peer = server.accept()) {
        OutputStream out = peer.getOutputStream();
        out.write("a b\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        batches.until(() -> total() >= 2);
      }
      first.stop();
      List<String> before = new ArrayList<>(counted);

      JavaStreamingContext second = JavaStreamingContext.getOrCreate(checkpoint, () -> create(port, checkpoint));
      second.start();
      try (Socket peer = server.accept()) {
        OutputStream out = peer.getOutputStream();
        out.write("c\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        batches.until(() -> total() >= 3);
      }
      second.stop();
      assertEquals(3, total(), counted.toString());
      long lastBefore = Long.parseLong(before.get(before.size() - 1).split(" ")[0]);
      long firstAfter = Long.parseLong(counted.get(before.size()).split(" ")[0]);
      assertTrue(firstAfter > lastBefore, "batch times go on after the restart: " + counted);
    }
  }
}
