package io.freshet.exec.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.freshet.exec.connector.CheckpointFiles;
import io.freshet.exec.engine.Checkpoint;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.apache.arrow.vector.FieldVector;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Keyed state in RocksDB, for state larger than memory. The live database sits in {@code live/} of the operator's
 * state directory and is not itself the checkpoint: at each commit the memtable is flushed, a RocksDB checkpoint
 * (hard links) is taken, and only the SST files not already in the checkpoint are moved to {@code sst/} under a
 * unique name (SST numbers restart after a restore, so names alone could clash); the version's small files
 * (MANIFEST, CURRENT, OPTIONS) go to {@code rocksdb-<v>/} and the list of both to {@code rocksdb-<v>.json}. A
 * restore builds a fresh live database from the version's list, linking the SST files. Versions older than the
 * last {@value #RETAINED} are purged with the SST files no retained version names. Memory is bounded by a block
 * cache and write buffers of fixed size; the write-ahead log is off, since the checkpoint is the durable copy.
 */
public final class RocksDbState implements KeyValueState {
  static {
    RocksDB.loadLibrary();
  }

  private static final int RETAINED = 3;
  private static final long CACHE_BYTES = 64L << 20;
  private static final long WRITE_BUFFER_BYTES = 16L << 20;

  /**
   * One version: its number (checked against the list's name), the SST files (local name to stored name), the
   * other files of the checkpoint, the CRC32C of each (by stored SST name, and by the other files' names), checked
   * before a restore uses them, and the layout of its entries as the state's user recorded it (JSON; absent in
   * lists written before layouts were recorded, and for users that record none).
   */
  record Version(long version, Map<String, String> sst, List<String> other, Map<String, Long> checksums,
      JsonNode layout) {
    Version {
      checksums = checksums == null ? Map.of() : checksums;
    }
  }

  private final Path directory;
  private final String operator;
  private final Path live;
  private final LRUCache cache = new LRUCache(CACHE_BYTES);
  private final Options options;
  private final WriteOptions writeOptions = new WriteOptions().setDisableWAL(true);
  /** SST files of the live database already in the checkpoint: local name to stored name. */
  private final Map<String, String> stored = new HashMap<>();
  /** The CRC32C of each stored SST file, by stored name: each is computed once, when it is stored. */
  private final Map<String, Long> storedChecksums = new HashMap<>();
  private RocksDB db;
  /** What each version records as the layout of its entries (see {@link #recordLayout}), or null. */
  private JsonNode layout;

  /** The file that lists what makes up checkpoint {@code version} in {@code directory}. */
  static Path checkpointList(Path directory, long version) {
    return directory.resolve("rocksdb-" + version + ".json");
  }

  public RocksDbState(Path directory, String operator) {
    this.directory = directory;
    this.operator = operator;
    this.live = directory.resolve("live");
    this.options = new Options().setCreateIfMissing(true).setWriteBufferSize(WRITE_BUFFER_BYTES)
        .setMaxWriteBufferNumber(2).setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache)
            .setCacheIndexAndFilterBlocks(true));
  }

  private FreshetException failed(String what, Exception e) {
    return new FreshetException(FreshetException.Kind.EXTERNAL, "RocksDB state of " + operator + ": cannot " + what
        + " in " + directory + ": " + e.getMessage() + "; check free disk space and permissions", e);
  }

  /** Opens the state after batch {@code version}, or empty when {@code version < 0}. */
  @Override
  public void restore(long version) {
    closeDb();
    stored.clear();
    storedChecksums.clear();
    try {
      deleteTree(live);
      Files.createDirectories(live);
      if (version >= 0) {
        Version v = materialize(directory, version, live);
        stored.putAll(v.sst());
        v.sst().values().forEach(name -> storedChecksums.put(name, v.checksums().get(name)));
      }
      db = RocksDB.open(options, live.toString());
    } catch (IOException | RocksDBException e) {
      throw failed("restore version " + version, e);
    }
  }

  /**
   * Builds in {@code into} the database of version {@code version} of the checkpoint in {@code from}, linking its
   * SST files, after checking each file against its listed checksum, and returns the version's list.
   */
  private Version materialize(Path from, long version, Path into) throws IOException {
    Path list = checkpointList(from, version);
    if (!Files.exists(list)) {
      if (Files.exists(from.resolve(version + ".snapshot")) || Files.exists(from.resolve(version + ".delta"))) {
        throw FreshetException.user("The state of " + operator + " in " + from + " was written with "
            + "'state-store' = 'memory', and the query now runs with 'rocksdb'; restart it with the state store it "
            + "started with, or with a new checkpoint location");
      }
      throw FreshetException.user("The RocksDB state of " + operator + " has no version " + version + " ("
          + list + " is missing); restore the checkpoint or use a new checkpoint location");
    }
    Version v = readVersion(list);
    for (Map.Entry<String, String> sst : v.sst().entrySet()) {
      Path file = from.resolve("sst").resolve(sst.getValue());
      checkListed(file, v.checksums().get(sst.getValue()), version);
      link(file, into.resolve(sst.getKey()));
    }
    for (String other : v.other()) {
      Path file = from.resolve("rocksdb-" + version).resolve(other);
      checkListed(file, v.checksums().get(other), version);
      Files.copy(file, into.resolve(other));
    }
    return v;
  }

  /**
   * Hands the entries of version {@code version} of the checkpoint in {@code other} (this directory's, or another
   * partition's before the number of partitions changed) to {@code take}, {@code chunk} at a time, which adds what
   * it makes of them to the live database (open, or restored empty first). The version is built in a directory of
   * its own, so the checkpoint is only read, and a crash in the middle leaves it as it was.
   */
  @Override
  public void readFrom(Path other, long version, int chunk, BiConsumer<List<byte[]>, List<byte[]>> take) {
    Path tmp = directory.resolve(".rocksdb-import-" + UUID.randomUUID());
    try {
      Files.createDirectories(tmp);
      materialize(other, version, tmp);
      try (Options readOptions = new Options(); RocksDB source = RocksDB.openReadOnly(readOptions, tmp.toString());
          RocksIterator it = source.newIterator()) {
        List<byte[]> keys = new ArrayList<>(chunk);
        List<byte[]> values = new ArrayList<>(chunk);
        for (it.seekToFirst(); ; it.next()) {
          boolean valid = it.isValid();
          if (valid) {
            keys.add(it.key());
            values.add(it.value());
          }
          if (keys.size() == chunk || !valid && !keys.isEmpty()) {
            take.accept(keys, values);
            keys = new ArrayList<>(chunk);
            values = new ArrayList<>(chunk);
          }
          if (!valid) {
            it.status();
            break;
          }
        }
      }
    } catch (IOException | RocksDBException e) {
      throw failed("take state from " + other + " version " + version, e);
    } finally {
      try {
        deleteTree(tmp);
      } catch (IOException e) {
        // a leftover import directory is removed with the next purge
      }
    }
  }

  /** Checks that a file version {@code version} lists is there with the checksum it lists. */
  private void checkListed(Path file, Long checksum, long version) {
    try {
      if (checksum == null) {
        throw new IllegalStateException("no checksum is listed for " + file);
      }
      CheckpointFiles.verify(file, checksum);
    } catch (CheckpointFiles.Damaged | IllegalStateException e) {
      throw FreshetException.user(e.getMessage() + ". Version " + version + " of the RocksDB state of " + operator
          + " needs it; restore the checkpoint from a backup, or start the query with a new checkpoint location");
    }
  }

  @Override
  public Path directory() {
    return directory;
  }

  @Override
  public void recordLayout(String layout) {
    try {
      this.layout = layout == null ? null : Json.MAPPER.readTree(layout);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("a layout is JSON: " + e.getOriginalMessage(), e);
    }
  }

  @Override
  public String layout(Path from, long version) {
    Path list = checkpointList(from, version);
    if (version < 0 || !Files.exists(list)) {
      return null;
    }
    JsonNode recorded = readVersion(list).layout();
    return recorded == null ? null : recorded.toString();
  }

  /**
   * The lists of version {@code version} under {@code directory} (an operator's state: every partition's, with
   * the states beside them in folders of their own) that record no layout: written before layouts were recorded.
   */
  public static List<Path> withoutLayout(Path directory, long version) {
    String name = "rocksdb-" + version + ".json";
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    List<Path> lists;
    try (Stream<Path> files = Files.walk(directory, 3)) {
      lists = files.filter(p -> p.getFileName().toString().equals(name)).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
    List<Path> without = new ArrayList<>();
    for (Path list : lists) {
      try {
        String text = CheckpointFiles.readString(list);
        if (text.startsWith("v1\n") && !Json.MAPPER.readTree(text.substring(3)).has("layout")) {
          without.add(list);
        }
      } catch (CheckpointFiles.Damaged | IOException e) {
        // a damaged list is refused, naming it, when the state is restored
      }
    }
    return without;
  }

  private Version readVersion(Path list) {
    try {
      String text = CheckpointFiles.readString(list);
      if (!text.startsWith("v1\n")) {
        throw new IOException("no version line");
      }
      Version v = Json.MAPPER.readValue(text.substring(3), Version.class);
      if (!list.getFileName().toString().equals("rocksdb-" + v.version() + ".json")) {
        throw FreshetException.user("The RocksDB state list " + list + " holds the list of version " + v.version()
            + " in its place; restore it from a backup, or start the query with a new checkpoint location");
      }
      return v;
    } catch (CheckpointFiles.Damaged e) {
      throw e.withAdvice("It lists the files of the RocksDB state of " + operator + "; restore it from a backup, "
          + "or start the query with a new checkpoint location");
    } catch (IOException e) {
      String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw FreshetException.user("The RocksDB state list " + list + " is corrupt (" + why + "); restore it from a "
          + "backup or use a new checkpoint location");
    }
  }

  private static void link(Path from, Path to) throws IOException {
    try {
      Files.createLink(to, from);
    } catch (UnsupportedOperationException | IOException e) {
      Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public int[] lookup(List<byte[]> keys, List<FieldVector> states) {
    int n = keys.size();
    List<byte[]> values;
    try {
      values = db.multiGetAsList(keys);
    } catch (RocksDBException e) {
      throw failed("read", e);
    }
    int[] rows = new int[n];
    int found = 0;
    for (int i = 0; i < n; i++) {
      byte[] value = values.get(i);
      if (value == null) {
        rows[i] = -1;
      } else {
        try {
          RowCodec.decode(value, 0, states, found);
        } catch (IndexOutOfBoundsException | IllegalArgumentException | IllegalStateException e) {
          throw new FreshetException(FreshetException.Kind.USER, "The RocksDB state of " + operator + " in "
              + directory + " does not match this query's state columns " + states.stream()
              .map(v -> v.getField().getName()).toList() + StateStore.CANNOT_FOLLOW, e);
        }
        rows[i] = found++;
      }
    }
    for (FieldVector v : states) {
      v.setValueCount(found);
    }
    return rows;
  }

  @Override
  public void write(List<byte[]> keys, List<byte[]> values) {
    try (WriteBatch batch = new WriteBatch()) {
      for (int i = 0; i < keys.size(); i++) {
        if (values.get(i) == null) {
          batch.delete(keys.get(i));
        } else {
          batch.put(keys.get(i), values.get(i));
        }
      }
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw failed("write", e);
    }
  }

  @Override
  public byte[] get(byte[] key) {
    try {
      return db.get(key);
    } catch (RocksDBException e) {
      throw failed("read", e);
    }
  }

  @Override
  public void deleteRange(byte[] from, byte[] to) {
    try {
      db.deleteRange(from, to);
    } catch (RocksDBException e) {
      throw failed("delete", e);
    }
  }

  @Override
  public void scanPrefix(byte[] prefix, java.util.function.BiPredicate<byte[], byte[]> visitor) {
    scanFrom(prefix, prefix, visitor);
  }

  @Override
  public void scanFrom(byte[] from, byte[] prefix, java.util.function.BiPredicate<byte[], byte[]> visitor) {
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(from); it.isValid(); it.next()) {
        byte[] key = it.key();
        if (!startsWith(key, prefix) || !visitor.test(key, it.value())) {
          return;
        }
      }
      it.status();
    } catch (RocksDBException e) {
      throw failed("read", e);
    }
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    if (key.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (key[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** Every key and state, {@code chunk} at a time, as encoded rows (see {@link #decode}). */
  @Override
  public void scan(int chunk, BiConsumer<List<byte[]>, List<byte[]>> onChunk) {
    try (RocksIterator it = db.newIterator()) {
      List<byte[]> keys = new ArrayList<>(chunk);
      List<byte[]> values = new ArrayList<>(chunk);
      for (it.seekToFirst(); it.isValid(); it.next()) {
        keys.add(it.key());
        values.add(it.value());
        if (keys.size() == chunk) {
          onChunk.accept(keys, values);
          keys = new ArrayList<>(chunk);
          values = new ArrayList<>(chunk);
        }
      }
      it.status();
      if (!keys.isEmpty()) {
        onChunk.accept(keys, values);
      }
    } catch (RocksDBException e) {
      throw failed("read", e);
    }
  }

  /** Makes version {@code version} of the checkpoint: copies only SST files it does not hold yet. */
  @Override
  public void checkpoint(long version) {
    Path tmp = directory.resolve(".rocksdb-checkpoint-" + version);
    Path others = directory.resolve("rocksdb-" + version);
    Path sstDir = directory.resolve("sst");
    try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
      db.flush(flush);
      deleteTree(tmp);
      deleteTree(others);
      Files.createDirectories(sstDir);
      Files.createDirectories(others);
      try (org.rocksdb.Checkpoint cp = org.rocksdb.Checkpoint.create(db)) {
        cp.createCheckpoint(tmp.toString());
      }
      Map<String, String> sst = new java.util.TreeMap<>();
      List<String> other = new ArrayList<>();
      Map<String, Long> checksums = new java.util.TreeMap<>();
      try (Stream<Path> files = Files.list(tmp)) {
        for (Path f : files.toList()) {
          String name = f.getFileName().toString();
          if (name.endsWith(".sst")) {
            String storedName = stored.get(name);
            if (storedName == null) {
              storedName = name.substring(0, name.length() - 4) + "-" + UUID.randomUUID() + ".sst";
              Files.move(f, sstDir.resolve(storedName));
              stored.put(name, storedName);
              storedChecksums.put(storedName, CheckpointFiles.crc32c(sstDir.resolve(storedName)));
            }
            sst.put(name, storedName);
            checksums.put(storedName, storedChecksums.get(storedName));
          } else {
            Files.move(f, others.resolve(name));
            other.add(name);
            checksums.put(name, CheckpointFiles.crc32c(others.resolve(name)));
          }
        }
      }
      stored.keySet().retainAll(sst.keySet());
      storedChecksums.keySet().retainAll(sst.values());
      deleteTree(tmp);
      Checkpoint.writeAtomically(directory.resolve("rocksdb-" + version + ".json"),
          ("v1\n" + Json.write(new Version(version, sst, other, checksums, layout), false)).getBytes(StandardCharsets.UTF_8), "state-checkpoint");
      purge(version);
    } catch (IOException | RocksDBException e) {
      throw failed("checkpoint version " + version, e);
    }
  }

  private void purge(long version) throws IOException {
    Set<String> keep = new HashSet<>();
    List<Path> lists;
    try (Stream<Path> files = Files.list(directory)) {
      lists = files.filter(p -> p.getFileName().toString().matches("rocksdb-\\d+\\.json")).toList();
    }
    for (Path list : lists) {
      long v = Long.parseLong(list.getFileName().toString().replaceAll("\\D", ""));
      if (v <= version - RETAINED) {
        Files.deleteIfExists(list);
        deleteTree(directory.resolve("rocksdb-" + v));
      } else {
        keep.addAll(readVersion(list).sst().values());
      }
    }
    try (Stream<Path> files = Files.list(directory.resolve("sst"))) {
      for (Path f : files.toList()) {
        if (!keep.contains(f.getFileName().toString())) {
          Files.deleteIfExists(f);
        }
      }
    }
    // Left by a crash in the middle of a checkpoint: a version folder without its list, a temporary checkpoint.
    try (Stream<Path> files = Files.list(directory)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        boolean orphan = name.matches("rocksdb-\\d+") && !Files.exists(directory.resolve(name + ".json"));
        if (orphan || name.startsWith(".rocksdb-checkpoint-") || name.startsWith(".rocksdb-import-")) {
          deleteTree(f);
        }
      }
    }
  }

  @Override
  public long estimatedKeys() {
    try {
      return db == null ? 0 : db.getLongProperty("rocksdb.estimate-num-keys");
    } catch (RocksDBException e) {
      return 0;
    }
  }

  /** Memory RocksDB uses now: memtables, and the block cache (table readers' index and filter blocks are in it). */
  @Override
  public long memoryBytes() {
    try {
      return db == null ? 0 : db.getLongProperty("rocksdb.cur-size-all-mem-tables") + cache.getUsage();
    } catch (RocksDBException e) {
      return 0;
    }
  }

  /** Bytes of SST files in the checkpoint. */
  public long checkpointBytes() {
    try (Stream<Path> files = Files.list(directory.resolve("sst"))) {
      return files.mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException e) {
      return 0;
    }
  }

  private void closeDb() {
    if (db != null) {
      db.close();
      db = null;
    }
  }

  @Override
  public void close() {
    closeDb();
    options.close();
    writeOptions.close();
    cache.close();
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
