package io.freshet.sql.dstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.exec.dstream.SparkConf;
import io.freshet.exec.dstream.streaming.Durations;
import io.freshet.exec.dstream.streaming.Time;
import io.freshet.exec.dstream.streaming.api.java.JavaStreamingContext;
import io.freshet.exec.dstream.streaming.scheduler.StreamingListener;
import io.freshet.exec.dstream.streaming.scheduler.StreamingListenerBatchCompleted;
import io.freshet.exec.dstream.util.ManualClock;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
  private final LinkedBlockingQueue<Time> done = new LinkedBlockingQueue<>();

  private JavaStreamingContext create(int port, String checkpoint) {
    SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("RecoverableNetworkWordCount")
        .set("spark.streaming.clock", "org.apache.spark.util.ManualClock");
    JavaStreamingContext ssc = new JavaStreamingContext(conf, Durations.seconds(1));
    ssc.checkpoint(checkpoint);
    ssc.socketTextStream("127.0.0.1", port).flatMap(x -> Arrays.asList(x.split(" ")).iterator())
        .mapToPair(s -> new Tuple2<>(s, 1)).reduceByKey(Integer::sum)
        .foreachRDD((rdd, time) -> rdd.collect().forEach(kv -> counted.add(time.milliseconds() + " " + kv)));
    ssc.addStreamingListener(new StreamingListener() {
      @Override
      public void onBatchCompleted(StreamingListenerBatchCompleted batchCompleted) {
        done.add(batchCompleted.batchInfo().batchTime());
      }
    });
    return ssc;
  }

  /** Runs batches until {@code words} words were counted in all. */
  private void runUntil(JavaStreamingContext ssc, int words) throws Exception {
    ManualClock clock = (ManualClock) ssc.clock();
    for (int i = 0; i < 200 && total() < words; i++) {
      clock.advance(1000);
      assertTrue(done.poll(30, TimeUnit.SECONDS) != null);
      if (total() < words) {
        Thread.sleep(20);
      }
    }
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
        runUntil(first, 2);
      }
      first.stop();
      List<String> before = new ArrayList<>(counted);

      JavaStreamingContext second = JavaStreamingContext.getOrCreate(checkpoint, () -> create(port, checkpoint));
      second.start();
      try (Socket peer = server.accept()) {
        OutputStream out = peer.getOutputStream();
        out.write("c\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        runUntil(second, 3);
      }
      second.stop();
      assertEquals(3, total(), counted.toString());
      long lastBefore = Long.parseLong(before.get(before.size() - 1).split(" ")[0]);
      long firstAfter = Long.parseLong(counted.get(before.size()).split(" ")[0]);
      assertTrue(firstAfter > lastBefore, "batch times go on after the restart: " + counted);
    }
  }
}
