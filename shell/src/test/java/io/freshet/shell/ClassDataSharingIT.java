package io.freshet.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launchers' class-data-sharing archive ({@code shell/target/freshet.jsa}), in a copy of the checkout (its
 * {@code bin/} and built jar) so that the archive of the checkout the other tests use is left alone: the first start
 * prepares it and says so, later starts load their classes from it, a damaged archive changes nothing a user sees,
 * and {@code FRESHET_CDS=off} starts without it. Whether a start used the archive is read from the JVM's log of
 * loaded classes ({@code -Xlog:class+load}): a class mapped from the archive shows as from "shared objects file
 * (top)", the layer only this archive gives.
 */
class ClassDataSharingIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final String QUERY = """
      CREATE STREAM bids WITH ('connector' = 'nexmark', 'table' = 'bid', 'events' = '20000',
                               'base-time' = '2026-01-01 00:00:00');
      SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
      GROUP BY window_start, window_end;""";
  private static final List<String> EXPECTED = List.of("2026-01-01 00:00:00.000,9200",
      "2026-01-01 00:00:10.000,9200");
  private static final String FROM_ARCHIVE = "io.freshet.shell.Main source: shared objects file (top)";
  private static final String PREPARING = "Freshet: preparing quicker starts for this build";

  @TempDir
  Path work;
  private Path checkout;
  private Path archive;

  @BeforeEach
  void copyCheckout() throws IOException {
    checkout = work.resolve("checkout");
    Path target = Files.createDirectories(checkout.resolve("shell").resolve("target"));
    Path jar = Launcher.REPOSITORY.resolve("shell").resolve("target").resolve("freshet.jar");
    try {
      Files.createLink(target.resolve("freshet.jar"), jar);
    } catch (IOException | UnsupportedOperationException e) {
      Files.copy(jar, target.resolve("freshet.jar"));
    }
    Path bin = Files.createDirectories(checkout.resolve("bin"));
    try (var files = Files.list(Launcher.REPOSITORY.resolve("bin"))) {
      for (Path file : files.toList()) {
        Files.copy(file, bin.resolve(file.getFileName()), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    archive = target.resolve("freshet.jsa");
  }

  @Test
  void theFirstStartPreparesTheArchiveLaterStartsUseItAndADamagedOneIsNotSeen() throws IOException {
    // The first start of a build: it says it prepares the archive, then runs the query as ever, from the archive.
    Start first = start(Map.of(), "");
    assertTrue(first.stderr().startsWith(PREPARING), first.stderr());
    assertEquals(EXPECTED, first.rows());
    assertTrue(Files.size(archive) > 1_000_000, "the archive " + archive);
    assertTrue(first.fromArchive(), "the first start after the training run did not use the archive");

    // The next start, from another working directory: silent, the same rows, the classes from the archive.
    Start second = start(Map.of(), "", work);
    assertEquals("", second.stderr());
    assertEquals(EXPECTED, second.rows());
    assertTrue(second.fromArchive(), "the second start did not use the archive");

    // Jars added after Freshet's own and other JVM options still share it.
    Path functions = Files.createDirectories(work.resolve("functions"));
    Start added = start(Map.of("FRESHET_CLASSPATH", functions.toString()), "-Xmx256m");
    assertEquals("", added.stderr());
    assertEquals(EXPECTED, added.rows());
    assertTrue(added.fromArchive(), "a start with FRESHET_CLASSPATH and -Xmx256m did not use the archive");

    // A damaged archive changes nothing a user sees. Garbage over its middle: the JVM finds that its checksums do
    // not match, and starts without it, silently.
    archive.toFile().setWritable(true);
    try (RandomAccessFile file = new RandomAccessFile(archive.toFile(), "rw")) {
      file.seek(file.length() / 2);
      file.write(new byte[100_000]);
    }
    Start damaged = start(Map.of(), "");
    assertEquals("", damaged.stderr());
    assertEquals(EXPECTED, damaged.rows());
    assertFalse(damaged.fromArchive(), "a damaged archive was used");

    // Cut short (it would crash the JVM): the next start makes a new one and uses it.
    try (RandomAccessFile file = new RandomAccessFile(archive.toFile(), "rw")) {
      file.setLength(file.length() / 2);
    }
    Start truncated = start(Map.of(), "");
    assertTrue(truncated.stderr().startsWith(PREPARING), truncated.stderr());
    assertEquals(EXPECTED, truncated.rows());
    assertTrue(truncated.fromArchive(), "the archive made again was not used");
  }

  @Test
  void freshetCdsOffStartsWithoutTheArchive() throws IOException {
    Start off = start(Map.of("FRESHET_CDS", "off"), "");
    assertEquals("", off.stderr());
    assertEquals(EXPECTED, off.rows());
    assertFalse(off.fromArchive(), "FRESHET_CDS=off used an archive");
    assertFalse(Files.exists(archive), "FRESHET_CDS=off made an archive");
  }

  @Test
  void aFailedTrainingRunDoesNotStopTheStart() throws IOException {
    // A training run that fails (here its script does): the start says so and runs the query without an archive.
    Files.writeString(checkout.resolve("bin").resolve("cds-training.sql"), "SELECT nothing FROM nowhere;\n");
    Start first = start(Map.of(), "");
    assertTrue(first.stderr().startsWith(PREPARING), first.stderr());
    assertTrue(first.stderr().contains("Freshet: could not prepare the archive (output and log: "), first.stderr());
    assertEquals(EXPECTED, first.rows());
    assertFalse(first.fromArchive(), "a failed training run left an archive that was used");

    // It is not tried again until the jar changes: the next start is silent.
    Start second = start(Map.of(), "");
    assertEquals("", second.stderr());
    assertEquals(EXPECTED, second.rows());
  }

  /** {@code bin/freshet -o csv -e QUERY} of the copy, in the copy, with {@code environment} and {@code javaOpts}. */
  private Start start(Map<String, String> environment, String javaOpts) throws IOException {
    return start(environment, javaOpts, checkout);
  }

  private Start start(Map<String, String> environment, String javaOpts, Path directory) throws IOException {
    Path classes = Files.createTempFile(work, "classes", ".log");
    ProcessBuilder builder = Launcher.builder(checkout, "freshet", List.of("-o", "csv", "-e", QUERY),
        javaOpts + " -Xlog:class+load:file=" + classes).directory(directory.toFile());
    builder.environment().put("TMPDIR", work.toString());
    builder.environment().putAll(environment);
    Launcher.Result result = Launcher.run(builder, "", TIMEOUT).ok();
    return new Start(result, Files.readString(classes));
  }

  /** A finished start: what it printed, and the JVM's log of the classes it loaded. */
  private record Start(Launcher.Result result, String classes) {
    String stderr() {
      return result.stderr();
    }

    /** The rows printed, in order of their window (the windows of a batch come in no particular order). */
    List<String> rows() {
      return result.lines().stream().sorted().toList();
    }

    boolean fromArchive() {
      return classes.contains(FROM_ARCHIVE);
    }
  }
}
