package io.freshet.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.exec.dstream.SparkConf;
import io.freshet.exec.dstream.api.java.Optional;
import io.freshet.exec.dstream.streaming.Durations;
import io.freshet.exec.dstream.streaming.api.java.JavaStreamingContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;

/**
 * A stateful DStream program (running word counts with {@code updateStateByKey} over {@code textFileStream}, a
 * reliable input) runs in a child JVM that the test kills with SIGKILL again and again while new files arrive,
 * each time restarting it with {@code getOrCreate} on the same checkpoint: paused exactly after a batch's output
 * operations ran, exactly while its state file is half way into the checkpoint, exactly after the state is in but
 * before the commit log has the batch, and at random moments. At the end the counts must be exactly those of
 * every word in every file: none lost, none counted twice. The number of kills is {@code -Dfreshet.crash.kills}.
 */
class DStreamCrashRecoveryTest {
  private static final int KILLS = Integer.getInteger("freshet.crash.kills", 6);

  @TempDir
  Path tmp;

  /**
   * The program under test: {@code <input dir> <checkpoint dir> <output file>}. Each batch writes the whole state
   * (word and count per line, sorted) to the output file, replacing it.
   */
  public static void main(String[] args) throws Exception {
    String input = args[0];
    String checkpoint = args[1];
    Path output = Path.of(args[2]);
    JavaStreamingContext ssc = JavaStreamingContext.getOrCreate(checkpoint, () -> {
      JavaStreamingContext context = new JavaStreamingContext(new SparkConf().setMaster("local[2]")
          .setAppName("StatefulFileWordCount"), Durations.milliseconds(250));
      context.checkpoint(checkpoint);
      context.textFileStream(input)
          .flatMap(line -> Arrays.asList(line.split(" ")).iterator())
          .mapToPair(w -> new Tuple2<>(w, 1))
          .updateStateByKey((List<Integer> values, Optional<Long> state) -> {
            long sum = state.orElse(0L);
            for (int v : values) {
              sum += v;
            }
            return Optional.of(sum);
          })
          .foreachRDD(rdd -> {
            Map<String, Long> counts = new TreeMap<>();
            rdd.collect().forEach(kv -> counts.put(kv._1(), kv._2()));
            StringBuilder text = new StringBuilder();
            counts.forEach((w, n) -> text.append(w).append(' ').append(n).append('\n'));
            Path tmpFile = output.resolveSibling(output.getFileName() + ".tmp");
            Files.writeString(tmpFile, text);
            Files.move(tmpFile, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          });
      return context;
    });
    ssc.start();
    ssc.awaitTermination();
  }

  private Process start(String pauseAt) throws IOException {
    List<String> command = ChildJvm.command("256m", pauseAt);
    command.addAll(List.of(getClass().getName(),
        tmp.resolve("in").toString(), tmp.resolve("cp").toString(), tmp.resolve("counts.txt").toString()));
    return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
  }

  private static LinkedBlockingQueue<String> stderr(Process p) {
    return ChildJvm.stderr(p);
  }


  private int files;

  /** Moves two new files of words into the input directory (whole, by rename), adding their words to expected. */
  private void dropFiles(Map<String, Long> expected, Random random) throws IOException {
    for (int n = 0; n < 2; n++) {
      StringBuilder text = new StringBuilder();
      for (int line = 0; line < 40; line++) {
        String a = "w" + random.nextInt(15);
        String b = "v" + random.nextInt(7);
        text.append(a).append(' ').append(b).append('\n');
        expected.merge(a, 1L, Long::sum);
        expected.merge(b, 1L, Long::sum);
      }
      Path staged = tmp.resolve("staging-" + files);
      Files.writeString(staged, text);
      Files.move(staged, tmp.resolve("in").resolve("words-" + files++ + ".txt"), StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private Map<String, Long> counts() throws IOException {
    Map<String, Long> counts = new TreeMap<>();
    Path file = tmp.resolve("counts.txt");
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file)) {
        String[] parts = line.split(" ");
        counts.put(parts[0], Long.parseLong(parts[1]));
      }
    }
    return counts;
  }

  private static long total(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Waits (up to 120 s) until the child's output counts {@code words} words or more. */
  private void awaitTotal(long words, LinkedBlockingQueue<String> err) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (total(counts()) < words) {
      String line = err.poll(50, TimeUnit.MILLISECONDS);
      assertTrue(!"<eof>".equals(line), "the program ended: " + String.join("\n", err));
      assertTrue(System.nanoTime() < deadline, "the counts reached " + total(counts()) + " of " + words
          + " words: " + String.join("\n", err));
    }
  }

  @Test
  void aKilledStatefulProgramGoesOnWithNothingLostOrDoubled() throws Exception {
    Files.createDirectories(tmp.resolve("in"));
    Random random = new Random(7);
    Map<String, Long> expected = new TreeMap<>();
    // Files there before the very first start are not read (textFileStream reads new files): the first run
    // must have started before the first files come.
    Process first = start(null);
    LinkedBlockingQueue<String> firstErr = stderr(first);
    awaitTotal(0, firstErr);
    while (!Files.exists(tmp.resolve("counts.txt"))) {
      String line = firstErr.poll(50, TimeUnit.MILLISECONDS);
      assertTrue(!"<eof>".equals(line), "the program ended: " + String.join("\n", firstErr));
    }
    dropFiles(expected, random);
    awaitTotal(total(expected), firstErr);
    first.destroyForcibly();
    first.waitFor();

    String[] points = {"sink-write", "state-checkpoint", "sink-committed", null};
    for (int i = 0; i < KILLS; i++) {
      String point = points[i % points.length];
      Process p = start(point == null ? null : point + ":" + (2 + random.nextInt(4)));
      LinkedBlockingQueue<String> err = stderr(p);
      dropFiles(expected, random);
      if (point != null) {
        ChildJvm.awaitPause(err, point);
      } else {
        // A random moment: while it starts, restores its state, or runs any part of a batch.
        String line = err.poll(200 + random.nextInt(1500), TimeUnit.MILLISECONDS);
        assertTrue(!"<eof>".equals(line), "the child ended before it was killed: " + String.join("\n", err));
      }
      p.destroyForcibly();
      p.waitFor();
    }
    Process last = start(null);
    LinkedBlockingQueue<String> err = stderr(last);
    try {
      awaitTotal(total(expected), err);
      // Two more batches after the total is reached, so that a file read twice shows.
      Path output = tmp.resolve("counts.txt");
      for (int batches = 0; batches < 2; batches++) {
        java.nio.file.attribute.FileTime seen = Files.getLastModifiedTime(output);
        while (Files.getLastModifiedTime(output).equals(seen)) {
          assertTrue(!"<eof>".equals(err.poll(20, TimeUnit.MILLISECONDS)), "the program ended: " + err);
        }
      }
      assertEquals(expected, counts(), "the counts after " + KILLS + " kills");
    } finally {
      last.destroyForcibly();
      last.waitFor();
    }
  }
}
