package io.freshet.sources.file;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.BatchIterator;
import io.freshet.exec.connector.Offset;
import io.freshet.exec.connector.Source;
import io.freshet.exec.connector.CheckpointFiles;
import io.freshet.exec.format.DecodedBatches;
import io.freshet.exec.format.FormatOptions;
import io.freshet.exec.format.HivePartitions;
import io.freshet.exec.format.CsvQuotes;
import io.freshet.exec.format.LineReader;
import io.freshet.exec.format.RecordDecoder;
import io.freshet.exec.format.SinkManifest;
import io.freshet.exec.types.RowSchema;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads new files of a directory or glob as they appear. Every listing that finds new files is written to the
 * source's log in the checkpoint ({@code sources/<table>/files/<n>}) before its offset {@code {"logOffset": n}} is
 * handed to the engine, so a file is read in exactly one batch, a replayed batch reads the same files (and the
 * same number of bytes of each, as listed), and a file once read is never read again, even after a restart.
 * Hidden files (names starting with {@code .} or {@code _}) are skipped, so writers should write elsewhere (or
 * under a hidden name) and rename the finished file into the directory. When the directory is a Freshet file
 * sink's output, only the part files its manifest commits are read. A declared column that a file's directories
 * name Hive-style ({@code col=value/}, as the sink's {@code partition-by} writes them) takes its value from there.
 * A large file is decoded by several partitions at once, as byte ranges ({@link #ranges}), within the one batch
 * that reads it.
 */
final class FileSource implements Source {
  private static final Logger LOG = LoggerFactory.getLogger(FileSource.class);
  private static final int BATCH_ROWS = 8192;
  /** The most ranges one file is read in. */
  private static final int MAX_RANGES = 1 << 16;

  record Limits(long maxFiles, long maxBytes, boolean latestFirst) { }

  /** A file as listed: where, how many bytes to read, and when it was last modified. */
  record FileEntry(String path, long size, long modified) { }

  /** One log entry: its number (checked against the file's name) and the files a listing found. */
  record LogEntry(long id, List<FileEntry> files) { }

  record Position(long logOffset) { }

  /**
   * A byte range of a listed file: the records that start in {@code [start, end)}, each read whole, also when it
   * goes on past {@code end}; range {@code index} of the file. A record starts on the first line after a line
   * break, or, in CSV whose quoted fields may hold line breaks, where {@code csv} finds one. The whole file is
   * {@code [0, size)}.
   */
  record Range(FileEntry file, long start, long end, CsvRecordStarts csv, int index) {
    static Range whole(FileEntry file) {
      return new Range(file, 0, file.size(), null, 0);
    }
  }

  private final String table;
  private final String pathText;
  private final Path base;
  private final PathMatcher matcher;
  private final int depth;
  private final RowSchema schema;
  private final FormatOptions format;
  private final Limits limits;
  /** A file larger than this is read as ranges of at most this many bytes, when its format allows. */
  private final long splitBytes;
  /** Whether a quoted CSV field may hold line breaks (then a CSV range finds its first record by the quoting). */
  private final boolean multiLine;
  /** The column that gets each line's byte offset (option lineOffsetColumn), or -1. */
  private final int offsetColumn;
  private final boolean bounded;
  private final String cleanSource;
  private final Path archive;
  private final Path logDir;
  private final BufferAllocator allocator;
  /** With newFilesOnly, files last modified before this are ignored; else Long.MIN_VALUE. */
  private final long startedAt;
  /** When the query first started, or, at the first start, now. */
  private final long startTime;
  /** Where {@link #startTime} goes at this run's first offset when the checkpoint does not hold it yet; else null. */
  private Path unrecordedStart;

  private final Set<String> seen = new HashSet<>();
  private final TreeMap<Long, LogEntry> entries = new TreeMap<>();
  /** The log entries read intact when the query started. */
  private final java.util.Set<Long> loaded = new java.util.HashSet<>();
  /** Log entries that are missing or damaged, with what is wrong, until {@link #restore} decides about them. */
  private final TreeMap<Long, String> damaged = new TreeMap<>();
  private long lastOffset = -1;
  /** A bounded stream's files: those there when the query started; null when unbounded. */
  private final Set<String> boundedTo;
  /** While held at what is available now: the files there when the hold was set; else null. */
  private Set<String> held;
  /** For the once trigger: maxFilesPerTrigger and maxBytesPerTrigger no longer apply ({@link #ignoreBatchLimits}). */
  private boolean unlimited;
  /** Malformed rows of the batch being read; splits may be decoded on several threads at once. */
  private final java.util.concurrent.atomic.AtomicLong malformedInBatch = new java.util.concurrent.atomic.AtomicLong();

  FileSource(String table, FileSourceProvider.Settings settings, Path checkpointDirectory,
      BufferAllocator allocator) {
    this.table = table;
    this.pathText = settings.path();
    this.schema = settings.schema();
    this.format = settings.format();
    this.limits = settings.limits();
    this.splitBytes = settings.splitBytes();
    this.multiLine = settings.multiLine();
    this.offsetColumn = settings.offsetColumn().isEmpty() ? -1 : schema.indexOf(settings.offsetColumn());
    this.bounded = settings.bounded();
    this.cleanSource = settings.cleanSource();
    this.archive = settings.archive() == null ? null : settings.archive().toAbsolutePath();
    this.allocator = allocator;
    Path absolute = Path.of(pathText).toAbsolutePath().normalize();
    if (isGlob(pathText)) {
      Path b = absolute.getRoot();
      int globAt = 0;
      for (int i = 0; i < absolute.getNameCount(); i++) {
        if (absolute.getName(i).toString().chars().anyMatch(ch -> "*?[{".indexOf(ch) >= 0)) {
          globAt = i;
          break;
        }
        b = b.resolve(absolute.getName(i));
      }
      this.base = b;
      this.matcher = FileSystems.getDefault().getPathMatcher("glob:" + absolute);
      this.depth = pathText.contains("**") ? Integer.MAX_VALUE : absolute.getNameCount() - globAt;
    } else {
      this.base = absolute;
      this.matcher = null;
      this.depth = 1;
    }
    if (this.archive != null && this.archive.startsWith(base)) {
      throw FreshetException.user("sourceArchiveDir " + archive + " of '" + table + "' is inside the watched path "
          + base + "; archived files would be read again. Choose a folder outside it");
    }
    this.logDir = checkpointDirectory.resolve("files");
    loadLog();
    this.startTime = startTime(checkpointDirectory.resolve("started"), settings.newFilesOnly());
    this.startedAt = settings.newFilesOnly() ? startTime : Long.MIN_VALUE;
    this.boundedTo = bounded ? listing() : null;
  }

  private static boolean isGlob(String path) {
    return path.chars().anyMatch(ch -> "*?[{".indexOf(ch) >= 0);
  }

  /**
   * Refuses a path that names nothing: a file or directory that does not exist, or a glob whose fixed part (the
   * directory before the first wildcard) does not, as Spark's and Flink's file sources do.
   */
  static void checkPath(String table, String pathText) {
    if (pathText.isBlank()) {
      throw FreshetException.user("Option 'path' of '" + table + "' is empty; give the directory, file or glob to "
          + "read");
    }
    Path absolute = Path.of(pathText).toAbsolutePath().normalize();
    Path fixed = absolute;
    if (isGlob(pathText)) {
      fixed = absolute.getRoot();
      for (Path part : absolute) {
        if (isGlob(part.toString())) {
          break;
        }
        fixed = fixed.resolve(part);
      }
    }
    if (!Files.exists(fixed)) {
      throw FreshetException.user("Path '" + pathText + "' of '" + table + "' does not exist" + (fixed == absolute
          ? "" : " (its directory " + fixed + " does not)") + "; create the directory first, or correct the path");
    }
  }

  /**
   * When the query first started: read from {@code file}, or, at the first start, taken now and written there at
   * the run's first offset (whether or not {@code newFilesOnly} uses it, so that turning it on later keeps the first
   * start). Missing once the listing log has entries, it is refused when {@code newFilesOnly} needs it: taking it
   * now would ignore the files that arrived since the first start and were not yet listed.
   */
  private long startTime(Path file, boolean needed) {
    try {
      if (Files.exists(file)) {
        try {
          return Long.parseLong(CheckpointFiles.readString(file).trim());
        } catch (CheckpointFiles.Damaged e) {
          if (needed) {
            throw e.withAdvice("It holds when the query first started, which decides the files 'newFilesOnly' "
                + "ignores as older; restore it from a backup, or start the query with a new checkpoint location");
          }
          LOG.warn("{}; it is not used without 'newFilesOnly', and is written again", e.getMessage());
        }
      } else if (needed && !(entries.isEmpty() && damaged.isEmpty())) {
        throw FreshetException.user("Checkpoint file " + file + " is missing: it holds when the query first "
            + "started, which decides the files 'newFilesOnly' of '" + table + "' ignores, and the query has listed "
            + "files since (" + logDir + "). Restore it from a backup, or start the query with a new checkpoint "
            + "location");
      }
      // File times come from the file system's clock, which may run a little behind this one (a coarse clock
      // tick): a file written just after the start must not look older than it, so the start is the earlier of
      // this clock and the time the file system gives a file written now. It goes into the checkpoint with this
      // run's first offset, once the checkpoint was checked: a refused start writes nothing.
      long now = System.currentTimeMillis();
      Path probe = file.resolveSibling("." + file.getFileName() + ".probe");
      Files.write(probe, new byte[0]);
      long start = Math.min(now, Files.getLastModifiedTime(probe).toMillis());
      Files.delete(probe);
      unrecordedStart = file;
      return start;
    } catch (IOException | NumberFormatException e) {
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot read the file source's start time " + file
          + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads the listing log. An entry that is missing or damaged is remembered, not dropped: whether it may be
   * listed again depends on whether a committed batch read it, which {@link #restore} and {@link #files} know.
   */
  private void loadLog() {
    try {
      Files.createDirectories(logDir);
      List<Long> ids = new ArrayList<>();
      try (Stream<Path> files = Files.list(logDir)) {
        files.forEach(p -> {
          try {
            ids.add(Long.parseLong(p.getFileName().toString()));
          } catch (NumberFormatException e) {
            // a temporary file left by a crash during a write
          }
        });
      }
      ids.sort(null);
      for (long id : ids) {
        Path file = logDir.resolve(Long.toString(id));
        try {
          String text = CheckpointFiles.readString(file);
          if (!text.startsWith("v1\n")) {
            throw FreshetException.user("The file source log entry " + file + " of '" + table + "' has no "
                + "version line");
          }
          LogEntry entry = Json.MAPPER.readValue(text.substring(3), LogEntry.class);
          if (entry.id() != id) {
            damaged.put(id, "Checkpoint file " + file + " holds entry " + entry.id() + ", not " + id);
            continue;
          }
          entries.put(id, entry);
          loaded.add(id);
          entry.files().forEach(f -> seen.add(f.path()));
        } catch (CheckpointFiles.Damaged | JsonProcessingException e) {
          damaged.put(id, e.getMessage());
        }
      }
      long last = ids.isEmpty() ? -1 : ids.get(ids.size() - 1);
      for (long id = 0; id < last; id++) {
        if (!entries.containsKey(id) && !damaged.containsKey(id)) {
          damaged.put(id, "Checkpoint file " + logDir.resolve(Long.toString(id)) + " is missing");
        }
      }
    } catch (IOException e) {
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot read the file source log " + logDir + ": "
          + e.getMessage(), e);
    }
  }

  /** The error for log entry {@code id}, missing or damaged, that a batch named {@code batch} needs. */
  private FreshetException lostEntry(long id, String batch) {
    String why = damaged.getOrDefault(id, "Checkpoint file " + logDir.resolve(Long.toString(id)) + " is missing");
    return FreshetException.user(why + ". It lists the files of '" + table + "' that " + batch + " read; without "
        + "it they would be read again. Restore it from a backup, or start the query with a new checkpoint "
        + "location");
  }

  @Override
  public RowSchema schema() {
    return schema;
  }

  @Override
  public void check(Offset last) {
    long to = position(last);
    for (long id = 0; id <= to; id++) {
      if (!loaded.contains(id)) {
        throw lostEntry(id, "a batch of the checkpoint");
      }
    }
  }

  @Override
  public void restore(Offset last) {
    check(last);
    lastOffset = position(last);
    // Entries after the last committed offset were never read by a committed batch: list their files again.
    for (var e : damaged.entrySet()) {
      LOG.warn("{}; no committed batch read it, so its files are listed again", e.getValue());
      try {
        Files.deleteIfExists(logDir.resolve(Long.toString(e.getKey())));
      } catch (IOException io) {
        throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot remove the damaged file source log "
            + "entry " + logDir.resolve(Long.toString(e.getKey())) + ": " + io.getMessage(), io);
      }
    }
    damaged.clear();
    entries.headMap(lastOffset, true).clear();
  }

  private long position(Offset offset) {
    try {
      return Json.MAPPER.readValue(offset.json(), Position.class).logOffset();
    } catch (JsonProcessingException e) {
      throw FreshetException.user("Not an offset of a file source: '" + offset.json() + "'", e);
    }
  }

  private static Offset offset(long logOffset) {
    return new Offset(Json.write(new Position(logOffset), false));
  }

  @Override
  public Offset latestOffset() {
    if (unrecordedStart != null) {
      CheckpointFiles.write(unrecordedStart, Long.toString(startTime).getBytes(StandardCharsets.UTF_8));
      unrecordedStart = null;
    }
    if (entries.containsKey(lastOffset + 1)) {
      // Listed before a restart, and not read yet: hand it out as it was listed (without limits, all of them, and
      // the files listed now after them).
      lastOffset++;
      if (!unlimited) {
        return offset(lastOffset);
      }
      while (entries.containsKey(lastOffset + 1)) {
        lastOffset++;
      }
    }
    List<FileEntry> fresh = listNew();
    if (fresh.isEmpty()) {
      return lastOffset < 0 ? null : offset(lastOffset);
    }
    List<FileEntry> chosen = new ArrayList<>();
    long bytes = 0;
    for (FileEntry f : fresh) {
      if (!unlimited && (chosen.size() >= limits.maxFiles()
          || (!chosen.isEmpty() && bytes + f.size() > limits.maxBytes()))) {
        break;
      }
      chosen.add(f);
      bytes += f.size();
    }
    long id = lastOffset + 1;
    LogEntry entry = new LogEntry(id, chosen);
    CheckpointFiles.write(logDir.resolve(Long.toString(id)),
        ("v1\n" + Json.write(entry, false)).getBytes(StandardCharsets.UTF_8));
    entries.put(id, entry);
    chosen.forEach(f -> seen.add(f.path()));
    lastOffset = id;
    return offset(id);
  }

  /** Files not read yet, in the order to read them. */
  private List<FileEntry> listNew() {
    List<FileEntry> found = new ArrayList<>();
    for (Path p : listAll()) {
      String key = p.toString();
      if (seen.contains(key) || (boundedTo != null && !boundedTo.contains(key))
          || (held != null && !held.contains(key))) {
        continue;
      }
      try {
        BasicFileAttributes attrs = Files.readAttributes(p, BasicFileAttributes.class);
        if (attrs.isRegularFile() && attrs.lastModifiedTime().toMillis() >= startedAt) {
          found.add(new FileEntry(key, attrs.size(), attrs.lastModifiedTime().toMillis()));
        }
      } catch (NoSuchFileException e) {
        // gone between the listing and now: a later listing decides
      } catch (IOException e) {
        throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot read " + p + ": " + e.getMessage(), e);
      }
    }
    Comparator<FileEntry> order = Comparator.comparingLong(FileEntry::modified);
    if (limits.latestFirst()) {
      order = order.reversed();
    }
    found.sort(order.thenComparing(FileEntry::path));
    return found;
  }

  private List<Path> listAll() {
    if (matcher == null && Files.isRegularFile(base)) {
      // A path that names one file reads that file (as Flink's file source does).
      return List.of(base);
    }
    if (!Files.isDirectory(base)) {
      checkPath(table, pathText);
      return List.of();
    }
    if (matcher == null && SinkManifest.exists(base)) {
      return SinkManifest.committedFiles(base);
    }
    try (Stream<Path> files = Files.walk(base, depth)) {
      return files.filter(p -> !p.equals(base) && !hidden(base.relativize(p)))
          .filter(p -> matcher == null || matcher.matches(p)).toList();
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot list " + base + " for '" + table + "': "
          + e.getMessage(), e);
    }
  }

  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (io.freshet.exec.format.HivePartitions.hiddenName(part.toString())) {
        return true;
      }
    }
    return false;
  }

  /** Holds the stream at the files there now (taken again at each call), until {@link #endAvailableNow}. */
  @Override
  public void prepareForAvailableNow() {
    held = listing();
  }

  @Override
  public void endAvailableNow() {
    held = null;
  }

  @Override
  public void ignoreBatchLimits() {
    unlimited = true;
  }

  private Set<String> listing() {
    Set<String> names = new HashSet<>();
    for (Path p : listAll()) {
      names.add(p.toString());
    }
    return names;
  }

  @Override
  public boolean isExhausted(Offset offset) {
    if (!bounded) {
      return false;
    }
    long at = offset == null ? -1 : position(offset);
    return at >= lastOffset && !entries.containsKey(at + 1) && listNew().isEmpty();
  }

  @Override
  public Iterator<Batch> read(Offset start, Offset end) {
    malformedInBatch.set(0);
    return batches(files(start, end).stream().map(Range::whole).toList());
  }

  /**
   * One split per file, or, for a file larger than {@link #splitBytes} whose lines can be found from anywhere in
   * it, per range of it ({@link #ranges}), so that several files of a batch, and the parts of one large file, are
   * decoded at the same time. Read in order, the splits give the rows of {@link #read}, in its order.
   */
  @Override
  public List<Iterator<Batch>> readSplits(Offset start, Offset end) {
    malformedInBatch.set(0);
    List<Iterator<Batch>> splits = new ArrayList<>();
    for (FileEntry file : files(start, end)) {
      for (Range range : ranges(file)) {
        // Made when a partition takes it: a CSV range closed unread lets the ranges that wait for it stop.
        splits.add(new LazyBatches(() -> batches(List.of(range)), () -> {
          if (range.csv() != null) {
            range.csv().abandon(range.index());
          }
        }));
      }
    }
    return splits;
  }

  /**
   * The ranges {@code file} is read in: as many of equal size as it takes for each to have at most
   * {@link #splitBytes} bytes, or the whole file when it is compressed (gzip cannot be read from the middle). A
   * range reads the records that start in it, so each is read by exactly one range, whatever the byte limits: a
   * record starts at the first line that starts in the range (as Hadoop's line reader does), or, in CSV where a
   * quoted field may hold line breaks ({@code multiLine}), where {@link CsvRecordStarts} finds one.
   */
  List<Range> ranges(FileEntry file) {
    long size = file.size();
    if (size <= splitBytes || compressed(file)) {
      return List.of(Range.whole(file));
    }
    // At most MAX_RANGES, whatever the option says: each range is a split with its own decoder.
    int count = (int) Math.min(MAX_RANGES, (size + splitBytes - 1) / splitBytes);
    long[] starts = new long[count + 1];
    for (int k = 0; k <= count; k++) {
      starts[k] = size / count * k + Math.min(k, size % count);
    }
    CsvRecordStarts csv = format.format() == FormatOptions.Format.CSV && multiLine ? new CsvRecordStarts(
        Path.of(file.path()), size, java.util.Arrays.copyOf(starts, count), format.delimiter(), format.quote(),
        format.header()) : null;
    List<Range> ranges = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      ranges.add(new Range(file, starts[k], starts[k + 1], csv, k));
    }
    return ranges;
  }

  /** Whether the file is gzip-compressed (its name ends in {@code .gz}): it is read decompressed, and whole. */
  private static boolean compressed(FileEntry file) {
    return file.path().toLowerCase(java.util.Locale.ROOT).endsWith(".gz");
  }

  /** The columns a decoder does not decode from a record: the partition columns, and the line offset column. */
  private Set<String> withOffset(Set<String> partitionColumns) {
    if (offsetColumn < 0) {
      return partitionColumns;
    }
    Set<String> all = new java.util.HashSet<>(partitionColumns);
    all.add(schema.column(offsetColumn).name());
    return all;
  }

  /**
   * The rows of {@code files}, in order: one decoder for each run of files whose directories give the same
   * partition columns (every file, in a directory one file sink wrote).
   */
  private BatchIterator batches(List<Range> files) {
    List<FileBatches> runs = new ArrayList<>();
    List<Range> run = new ArrayList<>();
    Set<String> columns = Set.of();
    for (Range file : files) {
      Set<String> these = partitionValues(file.file()).keySet().stream().map(c -> schema.column(c).name())
          .collect(java.util.stream.Collectors.toSet());
      if (!run.isEmpty() && !these.equals(columns)) {
        runs.add(new FileBatches(run, columns));
        run = new ArrayList<>();
      }
      columns = these;
      run.add(file);
    }
    if (!run.isEmpty() || runs.isEmpty()) {
      runs.add(new FileBatches(run, columns));
    }
    return runs.size() == 1 ? runs.get(0) : new Runs(runs);
  }

  /**
   * The declared columns that a file's directories under the watched path name Hive-style ({@code col=value/}, as
   * the file sink's {@code partition-by} writes them), by position, with the values they give, typed by the
   * declared schema ({@link HivePartitions}); such a column is not read from the file.
   */
  private Map<Integer, Object> partitionValues(FileEntry file) {
    Path path = Path.of(file.path());
    Path directory = path.startsWith(base) && !path.equals(base) ? base.relativize(path).getParent() : null;
    if (directory == null) {
      return Map.of();
    }
    Map<Integer, Object> values = new java.util.LinkedHashMap<>();
    for (Path name : directory) {
      String text = name.toString();
      int eq = text.indexOf('=');
      int column = eq <= 0 ? -1 : schema.indexOf(HivePartitions.unescape(text.substring(0, eq)));
      if (column >= 0 && !schema.column(column).name().equalsIgnoreCase(format.corruptColumn())) {
        values.put(column, HivePartitions.parse(text.substring(eq + 1), schema.type(column),
            schema.column(column).name(), path.getParent().toString()));
      }
    }
    return values;
  }

  /** Runs of files read one after another, each by its own {@link FileBatches}. */
  private static final class Runs extends BatchIterator {
    private final List<FileBatches> runs;
    private int at;

    Runs(List<FileBatches> runs) {
      this.runs = runs;
    }

    @Override
    protected Batch advance() {
      while (at < runs.size()) {
        FileBatches run = runs.get(at);
        if (run.hasNext()) {
          return run.next();
        }
        run.close();
        at++;
      }
      return null;
    }

    @Override
    public void close() {
      super.close();
      for (; at < runs.size(); at++) {
        runs.get(at).close();
      }
    }
  }

  /** The files of the log entries after {@code start} up to {@code end}. */
  private List<FileEntry> files(Offset start, Offset end) {
    long from = start == null ? -1 : position(start);
    long to = position(end);
    List<FileEntry> files = new ArrayList<>();
    for (long id = from + 1; id <= to; id++) {
      LogEntry entry = entries.get(id);
      if (entry == null) {
        throw lostEntry(id, "the batch being run (named in the offset log)");
      }
      files.addAll(entry.files());
    }
    return files;
  }

  /** Decodes the ranges of files one after another, a batch of rows at a time. */
  private final class FileBatches extends DecodedBatches {
    private final List<Range> ranges;
    private final Iterator<Range> files;
    private Range current;
    /** Where in the file the stream being read starts. */
    private long base;
    private InputStream in;
    private LineReader lines;
    private final io.freshet.exec.format.ByteSink record = new io.freshet.exec.format.ByteSink();
    /** The line the record being decoded starts on (a quoted CSV field may take it over several lines). */
    private long recordLine;
    /** Where in the file the record being decoded starts. */
    private long recordOffset;

    /** Reads {@code files}, whose directories give the partition columns {@code partitionColumns}. */
    FileBatches(List<Range> files, Set<String> partitionColumns) {
      super(new RecordDecoder(schema, format, allocator, BATCH_ROWS, withOffset(partitionColumns)),
          malformedInBatch::addAndGet);
      this.ranges = files;
      this.files = files.iterator();
    }

    /**
     * The file and line of the record: a range that does not start the file counts the lines before the record
     * only now (an error is rare, and counting line breaks is fast), so the message is the same split or not.
     */
    @Override
    public String describe() {
      String file = current.file().path();
      if (current.start() == 0) {
        return "file " + file + ", line " + recordLine;
      }
      long line = lineAt(Path.of(file), recordOffset);
      return "file " + file + (line > 0 ? ", line " + line : "") + " (byte " + recordOffset + ")";
    }

    @Override
    protected String source() {
      return current.file().path() + " of '" + table + "'";
    }

    @Override
    protected Batch decode() throws IOException {
      while (true) {
        if (lines == null) {
          if (!files.hasNext()) {
            return decoder.flush();
          }
          open(files.next());
        }
        if (!lines.next() || current.end() < current.file().size() && base + lines.lineOffset() >= current.end()) {
          // The end of the file, or of the range: the next range reads the lines that start after it.
          closeInput();
          continue;
        }
        if (lines.lineNumber() == 1 && current.start() == 0 && format.header()
            && format.format() == FormatOptions.Format.CSV) {
          continue;
        }
        if (lines.lineLength() == 0 && format.format() != FormatOptions.Format.TEXT) {
          continue;
        }
        recordLine = lines.lineNumber();
        recordOffset = base + lines.lineOffset();
        if (offsetColumn >= 0) {
          decoder.external(offsetColumn, recordOffset);
        }
        if (!multiLine) {
          decoder.decode(lines.buffer(), lines.lineStart(), lines.lineLength(), this);
        } else if (!decoder.decodeLine(lines.buffer(), lines.lineStart(), lines.lineLength(), this)) {
          // A quoted field goes on over the line break: join lines until it is closed.
          record.clear();
          record.put(lines.buffer(), lines.lineStart(), lines.lineLength());
          boolean open = true;
          while (open && lines.next()) {
            record.put((byte) '\n');
            record.put(lines.buffer(), lines.lineStart(), lines.lineLength());
            open = CsvQuotes.endsInQuotedField(lines.buffer(), lines.lineStart(), lines.lineLength(),
                format.delimiter(), format.quote(), true);
          }
          decoder.decode(record.array(), 0, record.length(), this);
        }
        if (decoder.isFull()) {
          return decoder.flush();
        }
      }
    }

    private void open(Range range) throws IOException {
      current = range;
      FileEntry file = range.file();
      partitionValues(file).forEach(decoder::externalValue);
      Path p = Path.of(file.path());
      try {
        // A range after the first starts one byte early, so that a line starting right at its start is its own;
        // in CSV that may hold line breaks in quoted fields, at its first record.
        base = range.csv() != null ? range.csv().firstRecord(range.index())
            : range.start() == 0 ? 0 : range.start() - 1;
        java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(p);
        // Held before anything else can fail, so that closing the batches closes the file.
        in = new BoundedInputStream(java.nio.channels.Channels.newInputStream(channel), file.size() - base);
        channel.position(base);
        if (compressed(file)) {
          in = new java.util.zip.GZIPInputStream(in, 1 << 16);
        }
      } catch (NoSuchFileException e) {
        throw FreshetException.user("File " + file.path() + " of '" + table + "' was listed for this batch but is "
            + "gone; files must stay in the directory until the batch that reads them is committed (cleanSource "
            + "moves them afterwards)");
      }
      long now = Files.size(p);
      if (now != file.size() && range.start() == 0) {
        LOG.warn("File {} has {} bytes, {} when it was listed; reading the first {} (write files elsewhere and "
            + "rename them into the directory)", file.path(), now, file.size(), file.size());
      }
      lines = new LineReader(in);
      if (range.start() > 0 && range.csv() == null) {
        // The line the byte before the range is on belongs to the range before.
        lines.next();
      }
    }

    @Override
    public void close() {
      // A range of CSV whose later ranges wait for it to find where its records end: if it did not get that far
      // (not read, or failed), they stop; otherwise this changes nothing.
      for (Range range : ranges) {
        if (range.csv() != null) {
          range.csv().abandon(range.index());
        }
      }
      super.close();
    }

    @Override
    protected void closeInput() throws IOException {
      if (in != null) {
        in.close();
      }
      in = null;
      lines = null;
    }
  }

  @Override
  public Map<String, String> metrics() {
    return Map.of("numMalformedRows", Long.toString(malformedInBatch.get()));
  }

  @Override
  public void commit(Offset end) {
    long to = position(end);
    Map<Long, LogEntry> done = entries.headMap(to, true);
    if (!cleanSource.equals("off")) {
      for (LogEntry entry : done.values()) {
        for (FileEntry f : entry.files()) {
          clean(Path.of(f.path()));
        }
      }
    }
    done.clear();
  }

  private void clean(Path file) {
    try {
      if (cleanSource.equals("delete")) {
        Files.deleteIfExists(file);
      } else {
        Path target = archive.resolve(base.relativize(file));
        Files.createDirectories(target.getParent());
        Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (NoSuchFileException e) {
      // cleaned before a restart
    } catch (IOException e) {
      LOG.warn("Could not {} {} after it was read: {}", cleanSource, file, e.toString());
    }
  }

  @Override
  public String description() {
    return "FileSource[" + pathText + "]";
  }

  /** The 1-based number of the line at byte {@code offset} of a file, by counting line breaks; 0 if unreadable. */
  static long lineAt(Path file, long offset) {
    try (InputStream in = new BoundedInputStream(Files.newInputStream(file), offset)) {
      byte[] buffer = new byte[1 << 16];
      long line = 1;
      for (int n; (n = in.read(buffer)) > 0; ) {
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            line++;
          }
        }
      }
      return line;
    } catch (IOException e) {
      return 0;
    }
  }

  /** At most {@code limit} bytes of a stream: a file as it was when listed. */
  private static final class BoundedInputStream extends java.io.FilterInputStream {
    private long remaining;

    BoundedInputStream(InputStream in, long limit) {
      super(in);
      this.remaining = limit;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = super.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = super.read(b, off, (int) Math.min(len, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }
  }
}
