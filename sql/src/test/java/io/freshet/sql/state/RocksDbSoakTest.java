package io.freshet.sql.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.sql.FreshetSession;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.StreamingQuery;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Running counts over many distinct keys with the RocksDB store: the state grows on disk while the process's
 * resident memory stays bounded (the test JVM has a 1 GiB heap, less than the keys' state would take in memory).
 * The CI form keeps 1 million keys; the long form ({@code -Dgroups=long -Dfreshet.excludedGroups=none}) 10 million.
 */
class RocksDbSoakTest {
  @TempDir
  Path tmp;

  @Test
  void aMillionKeys() throws Exception {
    soak(1_000_000, 8);
  }

  @Tag("long")
  @Test
  void tenMillionKeys() throws Exception {
    soak(10_000_000, 20);
  }

  private void soak(int keys, int files) throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    int perFile = keys / files;
    for (int f = 0; f < files; f++) {
      Path file = tmp.resolve("f" + f + ".csv");
      try (BufferedWriter w = Files.newBufferedWriter(file)) {
        for (int i = 0; i < perFile; i++) {
          w.write(Long.toString((long) f * perFile + i));
          w.write('\n');
        }
      }
      file.toFile().setLastModified(1_700_000_000_000L + f * 1000L);
      Files.move(file, in.resolve(file.getFileName()));
    }
    Path checkpoint = tmp.resolve("cp");
    List<long[]> samples = new ArrayList<>();
    AtomicLong emitted = new AtomicLong();
    try (FreshetSession session = FreshetSession.builder().create()) {
      session.sql("SET 'state-store' = 'rocksdb'");
      session.sql("CREATE STREAM keys (k BIGINT) WITH ('connector' = 'file', 'path' = '" + in + "', 'format' = "
          + "'csv', 'maxFilesPerTrigger' = '1', 'bounded' = 'true')");
      StreamingQuery q = session.sql("SELECT k, COUNT(*) AS c, SUM(k) AS s FROM keys GROUP BY k").writeStream()
          .outputMode(OutputMode.UPDATE).option("checkpointLocation", checkpoint.toString())
          .foreachBatch((rows, id) -> {
            emitted.addAndGet(rows.count());
            System.gc();
            samples.add(new long[] {id, residentBytes(), stateBytesOnDisk(checkpoint)});
          }).start();
      q.awaitTermination();
      assertEquals(keys, emitted.get());
      long total = q.lastProgress().stateOperators().get(0).numRowsTotal();
      assertTrue(Math.abs(total - keys) < keys / 10, "state rows " + total);
    }
    StringBuilder report = new StringBuilder("keys " + keys + ": batch, resident MiB, state on disk MiB\n");
    for (long[] s : samples) {
      report.append(s[0]).append(", ").append(s[1] >> 20).append(", ").append(s[2] >> 20).append('\n');
    }
    System.out.println(report);
    long[] early = samples.get(1);
    long[] last = samples.get(samples.size() - 1);
    assertTrue(last[2] > early[2] * (files - 1) / 3, "the state grows on disk:\n" + report);
    assertTrue(last[1] - early[1] < 400L << 20, "resident memory stays bounded:\n" + report);
  }

  /** VmRSS of this process, from /proc. */
  private static long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }

  private static long stateBytesOnDisk(Path checkpoint) {
    try (Stream<Path> files = Files.walk(checkpoint.resolve("state"))) {
      return files.filter(p -> p.toString().contains("/sst/")).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
