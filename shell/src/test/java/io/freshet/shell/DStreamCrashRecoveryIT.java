package io.freshet.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stateful DStream program runs in {@code bin/run-example}, which the test kills with SIGKILL again and again
 * while new files arrive, each time restarting it on the same checkpoint: paused exactly after a batch's output
 * operations ran, exactly while its state file is half way into the checkpoint, exactly after the state is in but
 * before the commit log has the batch, and at random moments. At the end the counts must be exactly those of every
 * word in every file: none lost, none counted twice. The programs: running word counts with
 * {@code updateStateByKey} over {@code textFileStream}, a reliable input ({@code streaming.JavaStatefulFileWordCount}),
 * and running counts per category, where each batch is joined in {@code transformToPair} with a static RDD read
 * from a file ({@code streaming.JavaFileCategoryCount}). The number of kills is {@code -Dfreshet.crash.kills}.
 */
class DStreamCrashRecoveryIT {
  private static final int KILLS = Integer.getInteger("freshet.crash.kills", 6);

  @TempDir
  Path tmp;

  /** A program: its {@code bin/run-example} arguments, and the key a word is counted under (null: not counted). */
  private record Program(List<String> arguments, Function<String, String> keyOf) {
  }

  private Launcher.Running start(Program program, String pauseAt) {
    return Launcher.Running.start(Launcher.builder("run-example", program.arguments(),
        pauseAt == null ? null : "-Dfreshet.test.pauseAt=" + pauseAt));
  }

  private int files;

  /** Moves two new files of words into the input directory (whole, by rename), adding their words to expected. */
  private void dropFiles(Map<String, Long> expected, Random random, Function<String, String> keyOf)
      throws IOException {
    for (int n = 0; n < 2; n++) {
      StringBuilder text = new StringBuilder();
      for (int line = 0; line < 40; line++) {
        String a = "w" + random.nextInt(15);
        String b = "v" + random.nextInt(7);
        text.append(a).append(' ').append(b).append('\n');
        for (String word : List.of(a, b)) {
          if (keyOf.apply(word) != null) {
            expected.merge(keyOf.apply(word), 1L, Long::sum);
          }
        }
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

  /** Waits (up to 120 s) until the program's output counts {@code words} words or more. */
  private void awaitTotal(long words, Launcher.Running run) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (total(counts()) < words) {
      assertFalse(run.process.waitFor(50, TimeUnit.MILLISECONDS), () -> "the program ended: " + run.stderr());
      assertTrue(System.nanoTime() < deadline, "the counts reached " + total(counts()) + " of " + words
          + " words: " + run.stderr());
    }
  }

  @Test
  void aKilledStatefulProgramGoesOnWithNothingLostOrDoubled() throws Exception {
    killAgainAndAgain(new Program(List.of("streaming.JavaStatefulFileWordCount", tmp.resolve("in").toString(),
        tmp.resolve("cp").toString(), tmp.resolve("counts.txt").toString()), word -> word));
  }

  @Test
  void aKilledProgramThatJoinsEachBatchWithAStaticDatasetGoesOnExactly() throws Exception {
    // w0 ... w14 in categories c0, c1, c2; the v words have none, so the join drops them.
    StringBuilder categories = new StringBuilder();
    for (int n = 0; n < 15; n++) {
      categories.append("w").append(n).append(" c").append(n % 3).append('\n');
    }
    Path file = Files.writeString(tmp.resolve("categories.txt"), categories);
    killAgainAndAgain(new Program(List.of("streaming.JavaFileCategoryCount", tmp.resolve("in").toString(),
        file.toString(), tmp.resolve("cp").toString(), tmp.resolve("counts.txt").toString()),
        word -> word.startsWith("w") ? "c" + Integer.parseInt(word.substring(1)) % 3 : null));
  }

  private void killAgainAndAgain(Program program) throws Exception {
    Files.createDirectories(tmp.resolve("in"));
    Random random = new Random(7);
    Map<String, Long> expected = new TreeMap<>();
    // Files there before the very first start are not read (textFileStream reads new files): the first run
    // must have started before the first files come.
    try (Launcher.Running first = start(program, null)) {
      while (!Files.exists(tmp.resolve("counts.txt"))) {
        assertFalse(first.process.waitFor(50, TimeUnit.MILLISECONDS), () -> "the program ended: " + first.stderr());
      }
      dropFiles(expected, random, program.keyOf());
      awaitTotal(total(expected), first);
    }

    String[] points = {"sink-write", "state-checkpoint", "sink-committed", null};
    for (int i = 0; i < KILLS; i++) {
      String point = points[i % points.length];
      try (Launcher.Running run = start(program, point == null ? null : point + ":" + (2 + random.nextInt(4)))) {
        dropFiles(expected, random, program.keyOf());
        if (point != null) {
          run.awaitStderr("FRESHET-PAUSED " + point);
        } else {
          // A random moment: while it starts, restores its state, or runs any part of a batch.
          assertFalse(run.process.waitFor(200 + random.nextInt(1500), TimeUnit.MILLISECONDS),
              () -> "the program ended before it was killed: " + run.stderr());
        }
      }
    }
    try (Launcher.Running last = start(program, null)) {
      awaitTotal(total(expected), last);
      // Two more batches after the total is reached, so that a file read twice shows.
      Path output = tmp.resolve("counts.txt");
      for (int batches = 0; batches < 2; batches++) {
        java.nio.file.attribute.FileTime seen = Files.getLastModifiedTime(output);
        while (Files.getLastModifiedTime(output).equals(seen)) {
          assertFalse(last.process.waitFor(20, TimeUnit.MILLISECONDS), () -> "the program ended: " + last.stderr());
        }
      }
      assertEquals(expected, counts(), "the counts after " + KILLS + " kills");
    }
  }
}
