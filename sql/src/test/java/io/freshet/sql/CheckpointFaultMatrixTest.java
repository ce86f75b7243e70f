package io.freshet.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.exec.format.SinkManifest;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import io.freshet.streaming.Trigger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection into every kind of checkpoint file (issue 13, "nothing lost and nothing silent").
 *
 * <p>Each stateful kind of query (tumbling windows with a watermark, a running GROUP BY in complete mode, session
 * windows, a Top-N over window counts) runs under each state store, in two partitions, over {@value #BEFORE} CSV
 * files read one a batch, and stops. That checkpoint (with the file sink's output, and the input) is kept aside.
 * Then for each kind of file in it (metadata, lock, offset and commit entries, the file source's listing log, the
 * file sink's manifest, state snapshots and deltas, RocksDB version lists, SST, MANIFEST, OPTIONS, CURRENT and WAL
 * files), taking the newest file of the kind in one directory, and for each fault (deleted, emptied, cut to half,
 * one bit flipped at the start, middle and end of the payload and in the checksum line's CRC and length, an older
 * entry of the kind deleted), the checkpoint is put back at the same path, the fault applied, and the query
 * restarted on it with the remaining files. The outcome is:
 * <ul>
 *   <li>EXACT: the answer equals that of a run over all {@value #FILES} files that was never stopped (the sorted
 *       rows of the part files the sink's manifest names; for the GROUP BY, the last complete result);
 *   <li>REFUSED: the restart fails with an error naming the damaged file or its directory;
 *   <li>VAGUE: the restart fails, but its error names neither, so the user cannot tell what to restore;
 *   <li>WRONG: anything else: no error and another answer, a hang, or output that cannot be read.
 * </ul>
 * A VAGUE or WRONG case fails the test; the matrix (file kind by fault, counts of each outcome) is printed.
 *
 * <p>The quick matrix damages the files that do not depend on the state store (metadata, lock, offsets, source
 * log, sink manifest) under the memory store only; the {@code long}-tagged variants damage them under both, flip
 * bits at fifteen more positions, and replace the newest entry of each kind by an intact copy of the previous one.
 * {@code -Dfreshet.faults.only=tumble/rocksdb,...} runs some configurations, {@code -Dfreshet.faults.verbose=true}
 * prints every case.
 */
class CheckpointFaultMatrixTest {
  private static final int FILES = 5;
  private static final int BEFORE = 3;
  private static final long TIMEOUT_MS = 60_000;
  private static final String TRAILER_PREFIX = "\nfreshet-checksum crc32c=";

  @TempDir(factory = InMemoryWhereAvailable.class)
  Path tmp;
  private FreshetSession session;

  /**
   * The cases' files go to /dev/shm where there is one: every checkpoint file is forced to disk when written, and
   * some hundred restarts each forcing a few dozen files would take most of the test's time on a shared disk.
   */
  static final class InMemoryWhereAvailable implements org.junit.jupiter.api.io.TempDirFactory {
    @Override
    public Path createTempDirectory(org.junit.jupiter.api.extension.AnnotatedElementContext element,
        org.junit.jupiter.api.extension.ExtensionContext context) throws IOException {
      Path shm = Path.of("/dev/shm");
      if (Files.isDirectory(shm) && Files.isWritable(shm)) {
        return Files.createTempDirectory(shm, "freshet-faults-");
      }
      return Files.createTempDirectory("freshet-faults-");
    }
  }

  @BeforeEach
  void setUp() {
    session = FreshetSession.builder().master("local[2]").create();
    session.conf().set("parallelism", "2");
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The queries and their input

  private static String ts(double seconds) {
    int whole = (int) seconds;
    int millis = (int) Math.round((seconds - whole) * 1000);
    return String.format("2026-01-01 00:%02d:%02d.%03d", whole / 60, whole % 60, millis);
  }

  /**
   * Windows of 10 s spanning files: file i has thirteen rows from 10i + 3 s to 10i + 15 s over four keys, so each
   * window takes rows of two files, and the watermark (5 s behind) closes window [10i s, 10i + 10 s) in batch i.
   */
  private static List<String> windowRows(int file) {
    List<String> rows = new ArrayList<>();
    for (int j = 0; j < 13; j++) {
      rows.add("k" + ((file + j) % 4) + "," + (file * 10 + j + 1) + "," + ts(10 * file + 3 + j));
    }
    return rows;
  }

  /**
   * Sessions (gap 5 s) of three keys within each file, closed by the next file's watermark, and of a key z whose
   * last row of file i and first row of file i + 1 are 4 s apart, so that its sessions span two batches.
   */
  private static List<String> sessionRows(int file) {
    List<String> rows = new ArrayList<>();
    int base = 15 * file;
    rows.add("z,1," + ts(base + 2));
    for (int j = 0; j < 8; j++) {
      rows.add("k" + (j % 3) + "," + (file * 10 + j + 1) + "," + ts(base + j));
    }
    rows.add("z,2," + ts(base + 13));
    return rows;
  }

  private record Query(String name, String sql, OutputMode mode, boolean fileSink, IntFunction<List<String>> input) {
  }

  private static final Query WINDOW = new Query("tumble", "SELECT window_start, k, COUNT(*) AS c, SUM(v) AS total "
      + "FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k",
      OutputMode.APPEND, true, CheckpointFaultMatrixTest::windowRows);
  private static final Query GROUP_BY = new Query("groupby", "SELECT k, COUNT(*) AS c, SUM(v) AS total FROM s "
      + "GROUP BY k", OutputMode.COMPLETE, false, CheckpointFaultMatrixTest::windowRows);
  private static final Query SESSION = new Query("session", "SELECT window_start, window_end, k, COUNT(*) AS c, "
      + "SUM(v) AS total FROM TABLE(SESSION(TABLE s PARTITION BY k, DESCRIPTOR(ts), INTERVAL '5' SECOND)) "
      + "GROUP BY window_start, window_end, k", OutputMode.APPEND, true, CheckpointFaultMatrixTest::sessionRows);
  /** Per window, the two keys with the most rows (ties by key): a Top-N over a window aggregation. */
  private static final Query TOP_N = new Query("topn", "SELECT window_start, k, c, rn FROM (SELECT window_start, "
      + "window_end, k, c, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY c DESC, k) AS rn FROM "
      + "(SELECT window_start, window_end, k, COUNT(*) AS c FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), "
      + "INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k)) WHERE rn <= 2", OutputMode.APPEND, true,
      CheckpointFaultMatrixTest::windowRows);

  // ---------------------------------------------------------------------------------------------------------------
  // Faults

  /**
   * EXACT: the answer of the uninterrupted run. REFUSED: the restart fails naming the damaged file or its
   * directory. VAGUE: it fails without naming either (not silent, but the user cannot tell what to restore).
   * WRONG: no error and another answer, or output that cannot be read after a restart that reported no error.
   */
  enum Outcome { EXACT, REFUSED, VAGUE, WRONG }

  /**
   * One way to damage a file: {@code at} is where a bit is flipped, as a fraction of the payload (the bytes before
   * the checksum line); DELETE_PREVIOUS and DELETE_OLDEST delete another, older entry of the same kind,
   * DELETE_ALL every entry of the kind in the directory (a {@code commits/} or manifest emptied), and OLDER_COPY puts the previous entry's bytes (intact, checksum and all) in place of the newest.
   */
  private record Fault(String name, Kind kind, double at) {
  }

  private enum Kind {
    DELETE, EMPTY, HALF, FLIP, FLIP_CRC, FLIP_LENGTH, DELETE_PREVIOUS, DELETE_OLDEST, DELETE_ALL, OLDER_COPY
  }

  private static final List<Fault> OLDER_COPY = List.of(new Fault("older-copy", Kind.OLDER_COPY, 0));

  private static List<Fault> faults(boolean many) {
    List<Fault> faults = new ArrayList<>(List.of(new Fault("delete", Kind.DELETE, 0),
        new Fault("empty", Kind.EMPTY, 0), new Fault("truncate-half", Kind.HALF, 0),
        new Fault("flip-start", Kind.FLIP, 0), new Fault("flip-middle", Kind.FLIP, 0.5),
        new Fault("flip-end-of-payload", Kind.FLIP, 1), new Fault("flip-checksum", Kind.FLIP_CRC, 0),
        new Fault("flip-length", Kind.FLIP_LENGTH, 0), new Fault("delete-previous", Kind.DELETE_PREVIOUS, 0),
        new Fault("delete-oldest", Kind.DELETE_OLDEST, 0), new Fault("delete-all", Kind.DELETE_ALL, 0)));
    if (many) {
      for (int i = 1; i < 16; i++) {
        faults.add(new Fault("flip-" + i + "/16", Kind.FLIP, i / 16.0));
      }
    }
    return faults;
  }

  /** A file of the checkpoint with the other entries of its kind in the same directory, oldest first. */
  private record Target(String kind, Path file, List<Path> entries) {
  }

  /**
   * The payload's end: where the checksum line starts, for a file written with one; else the file's length.
   */
  private static int payloadEnd(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int at = text.lastIndexOf(TRAILER_PREFIX);
    return at >= 0 && at >= bytes.length - 80 ? at : bytes.length;
  }

  /** Applies the fault; returns the file it damaged, or null when it does not apply to this target. */
  private static Path apply(Fault fault, Target target) throws IOException {
    Path file = target.file();
    byte[] original = Files.readAllBytes(file);
    byte[] bytes = original.clone();
    int end = payloadEnd(bytes);
    switch (fault.kind()) {
      case DELETE -> Files.delete(file);
      case EMPTY -> Files.write(file, new byte[0]);
      case HALF -> Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
      case FLIP -> {
        if (bytes.length == 0) {
          return null;
        }
        int at = fault.at() >= 1 ? end - 1 : (int) Math.min(end - 1, Math.floor(end * fault.at()));
        bytes[Math.max(0, at)] ^= 0x01;
        Files.write(file, bytes);
      }
      case FLIP_CRC, FLIP_LENGTH -> {
        if (end == bytes.length) {
          return null;
        }
        // crc32c=%08x length=%016x: the fourth hex digit of the CRC, or the last of the length.
        int at = end + TRAILER_PREFIX.length() + (fault.kind() == Kind.FLIP_CRC ? 3 : 8 + " length=".length() + 15);
        bytes[at] ^= 0x01;
        Files.write(file, bytes);
      }
      case OLDER_COPY -> {
        int index = target.entries().indexOf(file);
        if (index < 1) {
          return null;
        }
        Files.write(file, Files.readAllBytes(target.entries().get(index - 1)));
      }
      case DELETE_PREVIOUS, DELETE_OLDEST -> {
        List<Path> older = target.entries().subList(0, target.entries().indexOf(file));
        if (older.isEmpty()) {
          return null;
        }
        Path victim = fault.kind() == Kind.DELETE_PREVIOUS ? older.get(older.size() - 1) : older.get(0);
        if (fault.kind() == Kind.DELETE_OLDEST && older.size() < 2) {
          return null; // the same as delete-previous
        }
        Files.delete(victim);
        return victim;
      }
      case DELETE_ALL -> {
        if (target.entries().size() < 2) {
          return null; // the same as delete
        }
        for (Path p : target.entries()) {
          Files.delete(p);
        }
        return file.getParent();
      }
      default -> throw new IllegalStateException();
    }
    if (Files.exists(file) && java.util.Arrays.equals(original, Files.readAllBytes(file))) {
      return null; // emptying an empty file: no fault
    }
    return file;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The checkpoint's files

  private static final Pattern VERSIONED = Pattern.compile("(\\d+)(\\.snapshot|\\.delta)?|rocksdb-(\\d+)\\.json");

  private static long version(Path p) {
    String name = p.getFileName().toString();
    Matcher m = VERSIONED.matcher(name);
    if (m.matches()) {
      return Long.parseLong(m.group(1) != null ? m.group(1) : m.group(3));
    }
    // rocksdb-N/MANIFEST-...: the version of its folder
    Matcher folder = Pattern.compile("rocksdb-(\\d+)").matcher(p.getParent().getFileName().toString());
    return folder.matches() ? Long.parseLong(folder.group(1)) : -1;
  }

  /** What kind of checkpoint file {@code relative} (to the case's root) is; null for what is not kept state. */
  private static String kindOf(Path relative) {
    String path = relative.toString().replace('\\', '/');
    String name = relative.getFileName().toString();
    if (name.startsWith(".") || path.contains("/live/") || path.startsWith("in/")) {
      return null;
    }
    if (path.startsWith("out/")) {
      return path.startsWith("out/" + SinkManifest.DIRECTORY + "/") ? "sink-manifest" : null;
    }
    if (path.equals("cp/metadata")) {
      return "metadata";
    }
    if (path.equals("cp/lock")) {
      return "lock";
    }
    if (path.equals("cp/plan")) {
      return "plan";
    }
    if (path.matches("cp/sources/[^/]+/started")) {
      return "source-start"; // the queries do not set newFilesOnly, which alone reads it
    }
    if (path.matches("cp/offsets/\\d+")) {
      return "offsets";
    }
    if (path.matches("cp/commits/\\d+")) {
      return "commits";
    }
    if (path.matches("cp/sources/[^/]+/files/\\d+")) {
      return "source-log";
    }
    if (path.startsWith("cp/state/")) {
      if (name.endsWith(".snapshot")) {
        return "state-snapshot";
      }
      if (name.endsWith(".delta")) {
        return "state-delta";
      }
      if (name.matches("rocksdb-\\d+\\.json")) {
        return "rocksdb-list";
      }
      if (name.endsWith(".sst")) {
        return "rocksdb-sst";
      }
      if (name.startsWith("MANIFEST-")) {
        return "rocksdb-MANIFEST";
      }
      if (name.startsWith("OPTIONS-")) {
        return "rocksdb-OPTIONS";
      }
      if (name.equals("CURRENT")) {
        return "rocksdb-CURRENT";
      }
      if (name.endsWith(".log") && relative.getParent().getFileName().toString().matches("rocksdb-\\d+")) {
        return "rocksdb-WAL";
      }
    }
    return "other:" + path;
  }

  /** The node of a state file: state/<node>/... ; "" for other files. */
  private static String nodeOf(Path relative) {
    String path = relative.toString().replace('\\', '/');
    return path.startsWith("cp/state/") ? relative.getName(2).toString() : "";
  }

  /**
   * The files to damage: of each kind (and for state, of each stateful node), the newest entry of the first
   * directory that holds the kind, with the other entries of that directory. An SST file is the one the newest
   * RocksDB version lists first; its "older entries" are SST files only older versions list.
   */
  private static List<Target> targets(Path root) throws IOException {
    Map<String, TreeMap<Path, List<Path>>> byKind = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
        Path relative = root.relativize(p);
        String kind = kindOf(relative);
        if (kind == null) {
          continue;
        }
        String node = nodeOf(relative);
        String key = node.isEmpty() ? kind : kind + "@node" + node;
        // the directory of versions: for RocksDB's small files, the state directory above rocksdb-N/
        Path dir = kind.startsWith("rocksdb-") && !kind.equals("rocksdb-list") ? p.getParent().getParent()
            : p.getParent();
        byKind.computeIfAbsent(key, k -> new TreeMap<>()).computeIfAbsent(dir, d -> new ArrayList<>()).add(p);
      }
    }
    List<Target> targets = new ArrayList<>();
    for (var e : byKind.entrySet()) {
      String kind = e.getKey();
      Path dir = e.getValue().firstKey();
      List<Path> entries = new ArrayList<>(e.getValue().get(dir));
      if (kind.startsWith("rocksdb-sst")) {
        targets.add(sstTarget(kind, dir, entries));
        continue;
      }
      entries.sort(Comparator.comparingLong(CheckpointFaultMatrixTest::version).thenComparing(Path::toString));
      targets.add(new Target(kind, entries.get(entries.size() - 1), entries));
    }
    return targets;
  }

  private static Target sstTarget(String kind, Path stateDir, List<Path> ssts) throws IOException {
    List<Path> lists;
    try (Stream<Path> files = Files.list(stateDir)) {
      lists = files.filter(p -> p.getFileName().toString().matches("rocksdb-\\d+\\.json"))
          .sorted(Comparator.comparingLong(CheckpointFaultMatrixTest::version)).toList();
    }
    String newest = Files.readString(lists.get(lists.size() - 1), StandardCharsets.ISO_8859_1);
    Path current = null;
    List<Path> older = new ArrayList<>();
    for (Path sst : ssts) {
      if (newest.contains("\"" + sst.getFileName() + "\"")) {
        if (current == null) {
          current = sst;
        }
      } else {
        older.add(sst);
      }
    }
    if (current == null) {
      current = ssts.get(ssts.size() - 1);
      older.remove(current);
    }
    older.add(current);
    return new Target(kind, current, older);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Running

  private record Run(List<String> output, Throwable error) {
  }

  private static void drop(Path in, int file, List<String> rows) throws IOException {
    Path staging = in.resolveSibling("staging");
    Files.createDirectories(staging);
    Path f = staging.resolve("f" + file + ".csv");
    Files.writeString(f, String.join("\n", rows) + "\n");
    f.toFile().setLastModified(1_700_000_000_000L + 1000L * file);
    Files.move(f, in.resolve(f.getFileName()), StandardCopyOption.ATOMIC_MOVE);
  }

  /** Runs the query on what is in {@code root}/in until it has read it all (one file a batch), or fails. */
  private Run run(Query q, Path root) {
    AtomicReference<List<String>> lastBatch = new AtomicReference<>(List.of());
    StreamingQuery query;
    try {
      var writer = session.sql(q.sql()).writeStream().outputMode(q.mode()).trigger(Trigger.AvailableNow())
          .option("checkpointLocation", root.resolve("cp").toString());
      if (q.fileSink()) {
        writer.format("file").option("path", root.resolve("out").toString());
      } else {
        writer.foreachBatch((rows, id) -> lastBatch.set(rows.collectAsList().stream().map(Row::toString).toList()));
      }
      query = writer.start();
    } catch (RuntimeException e) {
      return new Run(null, e);
    }
    try {
      if (!query.awaitTermination(TIMEOUT_MS)) {
        query.stop();
        return new Run(null, new AssertionError("the query did not finish in " + TIMEOUT_MS + " ms"));
      }
    } catch (RuntimeException e) {
      return new Run(null, e);
    }
    if (query.exception() != null) {
      return new Run(null, query.exception());
    }
    if (!q.fileSink()) {
      return new Run(sorted(lastBatch.get()), null);
    }
    try {
      List<String> lines = new ArrayList<>();
      for (Path part : SinkManifest.committedFiles(root.resolve("out"))) {
        lines.addAll(Files.readAllLines(part));
      }
      return new Run(sorted(lines), null);
    } catch (IOException | RuntimeException e) {
      return new Run(null, new AssertionError("the query ended without an error, but its output cannot be read: "
          + e.getMessage(), e));
    }
  }

  private static List<String> sorted(List<String> rows) {
    List<String> copy = new ArrayList<>(rows);
    copy.sort(null);
    return copy;
  }

  private static String messages(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      sb.append(t.getMessage()).append(" | ");
      if (t.getCause() == t) {
        break;
      }
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The matrix

  /** One case's result, for the matrix and the report. */
  private record Case(String config, String kind, String fault, Path damaged, Outcome outcome, String detail) {
  }

  private static final List<Query> QUERIES = List.of(WINDOW, GROUP_BY, SESSION, TOP_N);
  private static final List<String> STORES = List.of("memory", "rocksdb");
  /**
   * Files that the state store does not write or read: with RocksDB the quick matrix damages only its own files
   * and the commit entries (whose fallback restores the version before); the long one damages these too.
   */
  private static final List<String> ENGINE_KINDS = List.of("metadata", "lock", "offsets", "source-log",
      "sink-manifest");

  @Test
  void everyDamagedCheckpointFileIsRecoveredExactlyOrRefusedByName() throws Exception {
    matrix(QUERIES, STORES, faults(false), false);
  }

  @Test
  @Tag("long")
  void everyDamagedCheckpointFileAtManyBitPositionsInEveryConfiguration() throws Exception {
    matrix(QUERIES, STORES, faults(true), true);
  }

  /**
   * Beyond the damage a checksum catches: the newest entry of each kind replaced by the previous one, whole and
   * intact (a partial restore from an older backup, a file system that returns a stale copy).
   */
  @Test
  @Tag("long")
  void theNewestEntryReplacedByAnIntactOlderOne() throws Exception {
    matrix(QUERIES, STORES, OLDER_COPY, true);
  }

  private void matrix(List<Query> queries, List<String> stores, List<Fault> faults, boolean everyKindEverywhere)
      throws Exception {
    long started = System.nanoTime();
    List<Case> cases = new ArrayList<>();
    String only = System.getProperty("freshet.faults.only", "");
    for (Query q : queries) {
      for (String store : stores) {
        if (!only.isEmpty() && !List.of(only.split(",")).contains(q.name() + "/" + store)) {
          continue;
        }
        cases.addAll(config(q, store, faults, everyKindEverywhere || store.equals("memory")));
      }
    }
    print(cases, (System.nanoTime() - started) / 1_000_000);
    List<Case> wrong = cases.stream().filter(c -> c.outcome() == Outcome.WRONG || c.outcome() == Outcome.VAGUE)
        .toList();
    assertTrue(wrong.isEmpty(), wrong.size() + " WRONG or VAGUE cases:\n" + String.join("\n", wrong.stream()
        .map(Case::toString).toList()));
  }

  private void declare(Path in) {
    session.sql("CREATE OR REPLACE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - "
        + "INTERVAL '5' SECOND) WITH ('connector' = 'file', 'path' = '" + in + "', 'format' = 'csv', "
        + "'maxFilesPerTrigger' = '1')");
  }

  /**
   * Two faults at once: the newest commit lost (its batch runs again) and a listing entry an earlier batch read
   * damaged. The sources check their files before the batch runs again, so the start is refused having committed
   * nothing; a second start is refused the same way.
   */
  @Test
  void aStartRefusedForASourceFileRunsNoBatchAgain() throws IOException {
    Path root = firstRun("rerun");
    Files.delete(root.resolve("cp/commits/" + (BEFORE - 1)));
    Path listing = root.resolve("cp/sources/s/files/0");
    byte[] bytes = Files.readAllBytes(listing);
    bytes[5] ^= 0x01;
    Files.write(listing, bytes);
    refusedTwiceChangingNothing(root, listing.toString());
  }

  /**
   * Two faults in the file sink's output (the reviewer's case): the newest batch crashed after renaming its part
   * files into place and before its manifest entry (its intent marker is there, its commit is not), and the entry
   * of an older batch that wrote part files is gone. The start is refused for the lost entry and changes nothing,
   * the unfinished commit's part files included (they are deleted only once every start check has passed); a second
   * start is refused the same way.
   */
  @Test
  void aStartRefusedForALostSinkEntryLeavesAnUnfinishedCommitAsItWas() throws IOException {
    Path root = firstRun("sink");
    Path manifest = root.resolve("out").resolve(SinkManifest.DIRECTORY);
    long newest = BEFORE - 1;
    Files.move(manifest.resolve(Long.toString(newest)), manifest.resolve(newest + SinkManifest.PENDING));
    Files.delete(root.resolve("cp/commits/" + newest));
    List<Path> committed = SinkManifest.committedFiles(root.resolve("out"));
    assertTrue(!committed.isEmpty(), "no older batch wrote a part file");
    String oldest = committed.get(0).getFileName().toString();
    Path lost = manifest.resolve(Long.toString(Long.parseLong(oldest.substring(5, oldest.indexOf('-', 5)))));
    Files.delete(lost);
    try (Stream<Path> parts = Files.list(root.resolve("out"))) {
      assertTrue(parts.anyMatch(p -> p.getFileName().toString().startsWith(String.format("part-%06d-", newest))),
          "the unfinished commit renamed no part file");
    }
    refusedTwiceChangingNothing(root, lost + " is missing");
  }

  /** The window query's first run, on the first {@code BEFORE} files, in {@code tmp/name}. */
  private Path firstRun(String name) throws IOException {
    Path root = tmp.resolve(name);
    Path in = root.resolve("in");
    Files.createDirectories(in);
    declare(in);
    for (int f = 0; f < BEFORE; f++) {
      drop(in, f, WINDOW.input().apply(f));
    }
    assertEquals(null, run(WINDOW, root).error());
    return root;
  }

  /**
   * Restarts the window query at {@code root} twice (with the later files, then again): each start is refused with
   * an error that says {@code named} and leaves the checkpoint and the output byte for byte as they were.
   */
  private void refusedTwiceChangingNothing(Path root, String named) throws IOException {
    Map<String, Long> before = digest(root);
    for (int attempt = 0; attempt < 2; attempt++) {
      Run r = attempt == 0 ? resume(WINDOW, root) : run(WINDOW, root);
      assertTrue(r.error() != null && messages(r.error()).contains(named), attempt + ": "
          + (r.error() == null ? "not refused" : messages(r.error())));
      assertEquals(before, digest(root), "the refused start changed " + changed(before, digest(root)));
    }
  }

  private List<Case> config(Query q, String store, List<Fault> faults, boolean engineKinds) throws IOException {
    String config = q.name() + "/" + store;
    session.conf().set("state-store", store);
    Path root = tmp.resolve(q.name() + "-" + store);
    Path in = root.resolve("in");
    Files.createDirectories(in);
    declare(in);

    // The run that is never stopped.
    for (int f = 0; f < FILES; f++) {
      drop(in, f, q.input().apply(f));
    }
    Run uninterrupted = run(q, root);
    if (uninterrupted.error() != null) {
      throw new AssertionError(config + ": the uninterrupted run failed", uninterrupted.error());
    }
    List<String> expected = uninterrupted.output();
    assertTrue(!expected.isEmpty(), config + ": the query has no output");
    deleteTree(root);

    // The run that stops after BEFORE batches: its checkpoint is what every case damages a copy of.
    Files.createDirectories(in);
    for (int f = 0; f < BEFORE; f++) {
      drop(in, f, q.input().apply(f));
    }
    Run first = run(q, root);
    if (first.error() != null) {
      throw new AssertionError(config + ": the first run failed", first.error());
    }
    Path pristine = tmp.resolve(q.name() + "-" + store + "-pristine");
    copyTree(root, pristine);

    List<Case> cases = new ArrayList<>();
    // Without a fault the restart gives the exact answer, or the matrix means nothing.
    Run control = restart(q, root, pristine);
    assertEquals(expected, control.output(), config + ": a restart without a fault" + (control.error() == null ? ""
        : " failed: " + messages(control.error())));

    List<Target> targets = targets(pristine);
    if (Boolean.getBoolean("freshet.faults.verbose")) {
      System.out.println(config + " expected " + expected);
      targets.forEach(t -> System.out.println(config + " target " + t.kind() + " " + pristine.relativize(t.file())
          + " of " + t.entries().stream().map(p -> p.getFileName().toString()).toList()));
    }
    long t0 = System.nanoTime();
    for (Target t : targets) {
      if (!engineKinds && ENGINE_KINDS.contains(t.kind())) {
        continue;
      }
      for (Fault fault : faults) {
        restore(pristine, root);
        Target here = new Target(t.kind(), root.resolve(pristine.relativize(t.file())),
            t.entries().stream().map(p -> root.resolve(pristine.relativize(p))).toList());
        Path damaged = apply(fault, here);
        if (damaged == null) {
          continue;
        }
        Map<String, Long> before = digest(root);
        Run r = resume(q, root);
        Outcome outcome;
        String detail;
        if (r.error() != null) {
          String message = messages(r.error());
          boolean named = message.contains(damaged.toString()) || message.contains(damaged.getParent().toString());
          outcome = r.error() instanceof AssertionError ? Outcome.WRONG : named ? Outcome.REFUSED : Outcome.VAGUE;
          detail = (named ? "" : "refused without naming " + damaged + ": ") + firstLine(message);
          // A refused start changes nothing, so a second start is refused as the first was.
          Map<String, Long> after = digest(root);
          if (outcome == Outcome.REFUSED && !after.equals(before)) {
            outcome = Outcome.WRONG;
            detail = "the refused start changed " + changed(before, after) + ": " + detail;
          } else if (outcome == Outcome.REFUSED && run(q, root).error() == null) {
            outcome = Outcome.WRONG;
            detail = "a second start was not refused: " + detail;
          }
        } else if (r.output().equals(expected)) {
          outcome = Outcome.EXACT;
          detail = "";
        } else {
          outcome = Outcome.WRONG;
          detail = "no error, another answer (" + expected.size() + " rows expected, " + r.output().size()
              + " got): missing " + minus(expected, r.output()) + ", extra " + minus(r.output(), expected);
        }
        cases.add(new Case(config, kindName(t.kind()), fault.name(), root.relativize(damaged), outcome, detail));
      }
    }
    System.out.println(config + ": " + cases.size() + " cases in " + (System.nanoTime() - t0) / 1_000_000
        + " ms");
    deleteTree(root);
    deleteTree(pristine);
    return cases;
  }

  private static String kindName(String kind) {
    return kind.replaceAll("@node\\d+", "");
  }

  private Run restart(Query q, Path root, Path pristine) throws IOException {
    restore(pristine, root);
    return resume(q, root);
  }

  /** Adds the files after the first run's and runs the query on what is in {@code root}. */
  private Run resume(Query q, Path root) throws IOException {
    for (int f = BEFORE; f < FILES; f++) {
      drop(root.resolve("in"), f, q.input().apply(f));
    }
    return run(q, root);
  }

  /**
   * The files of the checkpoint and the output, each with a CRC32C of its bytes; the input and the lock (whose owner
   * record every start writes) left out, as are RocksDB's working copies.
   */
  private static Map<String, Long> digest(Path root) throws IOException {
    Map<String, Long> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        String relative = root.relativize(p).toString().replace('\\', '/');
        if (relative.startsWith("in/") || relative.startsWith("staging/") || relative.equals("cp/lock")
            || relative.contains("/live/")) {
          continue;
        }
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(Files.readAllBytes(p));
        files.put(relative, crc.getValue());
      }
    }
    return files;
  }

  private static String changed(Map<String, Long> before, Map<String, Long> after) {
    List<String> changes = new ArrayList<>();
    before.keySet().stream().filter(f -> !after.containsKey(f)).forEach(f -> changes.add("deleted " + f));
    after.forEach((f, crc) -> {
      if (!before.containsKey(f)) {
        changes.add("created " + f);
      } else if (!before.get(f).equals(crc)) {
        changes.add("rewrote " + f);
      }
    });
    return String.join(", ", changes);
  }

  private static List<String> minus(List<String> a, List<String> b) {
    List<String> rest = new ArrayList<>(a);
    b.forEach(rest::remove);
    return rest;
  }

  private static String firstLine(String message) {
    return message.length() > 400 ? message.substring(0, 400) + "..." : message;
  }

  private static void print(List<Case> cases, long millis) {
    Map<String, Map<String, int[]>> matrix = new TreeMap<>();
    List<String> faultNames = new ArrayList<>();
    for (Case c : cases) {
      if (!faultNames.contains(c.fault())) {
        faultNames.add(c.fault());
      }
      matrix.computeIfAbsent(c.kind(), k -> new LinkedHashMap<>())
          .computeIfAbsent(c.fault(), f -> new int[Outcome.values().length])[c.outcome().ordinal()]++;
    }
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%nCheckpoint fault matrix: %d cases in %d ms (cells: EXACT/REFUSED/VAGUE/WRONG)%n",
        cases.size(), millis));
    sb.append(String.format("%-18s", "file kind"));
    for (String f : faultNames) {
      sb.append(String.format(" %-" + Math.max(9, f.length()) + "s", f));
    }
    sb.append('\n');
    for (var row : matrix.entrySet()) {
      sb.append(String.format("%-18s", row.getKey()));
      for (String f : faultNames) {
        int[] n = row.getValue().get(f);
        sb.append(String.format(" %-" + Math.max(9, f.length()) + "s", n == null ? "-" : n[0] + "/" + n[1] + "/"
            + n[2] + "/" + n[3]));
      }
      sb.append('\n');
    }
    Map<String, int[]> byConfig = new TreeMap<>();
    for (Case c : cases) {
      byConfig.computeIfAbsent(c.config(), k -> new int[4])[c.outcome().ordinal()]++;
    }
    byConfig.forEach((k, n) -> sb.append(String.format("%-18s EXACT %d, REFUSED %d, VAGUE %d, WRONG %d%n", k, n[0],
        n[1], n[2], n[3])));
    for (Case c : cases) {
      if (c.outcome() == Outcome.WRONG || c.outcome() == Outcome.VAGUE) {
        sb.append(c.outcome()).append(' ').append(c.config()).append(' ').append(c.kind()).append(' ')
            .append(c.fault()).append(' ').append(c.damaged()).append(": ").append(c.detail()).append('\n');
      }
    }
    if (Boolean.getBoolean("freshet.faults.verbose")) {
      for (Case c : cases) {
        sb.append(c.outcome()).append(' ').append(c.config()).append(' ').append(c.kind()).append(' ')
            .append(c.fault()).append(' ').append(c.damaged()).append(' ').append(c.detail()).append('\n');
      }
    }
    System.out.println(sb);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Files

  /** Puts back the stopped checkpoint, output and input at the same paths (the source's log names its files). */
  private static void restore(Path pristine, Path root) throws IOException {
    deleteTree(root);
    copyTree(pristine, root);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p));
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
