package io.freshet.exec.join;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.exec.format.ByteSink;
import io.freshet.exec.state.OrderedBytes;
import io.freshet.exec.state.StateStore;
import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The heap join state against a sorted map of the same puts and deletes: what it answers to gets and scans (by a
 * row's prefix, from a time, over an index, and over a prefix shorter than a row's), and what its checkpoint restores
 * when it is a snapshot followed by deltas, or a snapshot at every version as written before deltas existed.
 */
class HeapJoinStateTest {
  private static final RowSchema KEY = RowSchema.of(Column.of("name", TypeKind.VARCHAR),
      Column.of("id", TypeKind.BIGINT));
  private static final TypeKind[] KEY_TYPES = {TypeKind.VARCHAR, TypeKind.BIGINT};
  private static final byte[] ROW_TAGS = {1, 2};
  private static final String[] NAMES = {"", "a", "a\0b", "ab", "b", "zz"};

  @TempDir
  Path directory;
  private BufferAllocator allocator;
  private final TreeMap<byte[], byte[]> expected = new TreeMap<>(Arrays::compareUnsigned);
  private final Random random = new Random(17);
  private long sequence;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    allocator.close();
  }

  private HeapJoinState state() {
    return new HeapJoinState(KEY, ROW_TAGS, allocator);
  }

  /** {@code [tag][name][id]}; a null name when {@code name} is null. */
  private static byte[] prefix(int tag, String name, long id) {
    ByteSink sink = new ByteSink();
    sink.put((byte) tag);
    OrderedBytes.putAll(sink, new Object[] {name, id}, KEY_TYPES);
    return OrderedBytes.bytes(sink);
  }

  private static byte[] withLongs(byte[] prefix, long... numbers) {
    ByteSink sink = new ByteSink();
    sink.put(prefix, 0, prefix.length);
    for (long n : numbers) {
      OrderedBytes.putLong(sink, n);
    }
    return OrderedBytes.bytes(sink);
  }

  private byte[] randomPrefix(int tag) {
    return prefix(tag, random.nextInt(8) == 0 ? null : NAMES[random.nextInt(NAMES.length)], random.nextInt(3) - 1);
  }

  /** A row key {@code [tag][name][id][time][seq]} with times mostly growing. */
  private byte[] newRowKey() {
    long time = sequence / 3 - random.nextInt(4);
    return withLongs(randomPrefix(1 + random.nextInt(2)), time, sequence++);
  }

  private static byte[] value(int n) {
    return new byte[] {(byte) n, (byte) (n >> 8)};
  }

  private void put(HeapJoinState state, byte[] key, byte[] value) {
    state.put(key, value);
    expected.put(key, value);
  }

  private void delete(HeapJoinState state, byte[] key) {
    state.delete(key);
    expected.remove(key);
  }

  private byte[] someKey() {
    List<byte[]> keys = new ArrayList<>(expected.keySet());
    return keys.get(random.nextInt(keys.size()));
  }

  /** Puts, replaces and deletes rows and index entries at random. */
  private void change(HeapJoinState state, int steps) {
    for (int i = 0; i < steps; i++) {
      int what = random.nextInt(10);
      if (what < 4 || expected.isEmpty()) {
        byte[] row = newRowKey();
        put(state, row, value(i));
        put(state, JoinKeys.indexKey(row[0] - 1, OrderedBytes.getLong(row, row.length - 16) + 5, row),
            JoinKeys.EMPTY);
      } else if (what < 6) {
        byte[] key = someKey();
        put(state, key.clone(), value(i + 1000));
      } else if (what < 8) {
        delete(state, someKey());
      } else if (what < 9) {
        delete(state, newRowKey());
      } else {
        put(state, new byte[] {0}, value(i));
      }
    }
  }

  private static String render(Map<byte[], byte[]> entries) {
    StringBuilder text = new StringBuilder();
    entries.forEach((k, v) -> text.append(HexFormat.of().formatHex(k)).append('=')
        .append(HexFormat.of().formatHex(v)).append('\n'));
    return text.toString();
  }

  /** What {@code state} scans from {@code from} under {@code prefix}, as text. */
  private static String scan(JoinState state, byte[] from, byte[] prefix) {
    TreeMap<byte[], byte[]> seen = new TreeMap<>(Arrays::compareUnsigned);
    List<byte[]> order = new ArrayList<>();
    state.scanFrom(from, prefix, (k, v) -> {
      order.add(k);
      seen.put(k, v);
      return true;
    });
    assertEquals(new ArrayList<>(seen.keySet()).toString(), order.toString(), "scanned in order");
    return render(seen);
  }

  private String expectedScan(byte[] from, byte[] prefix) {
    TreeMap<byte[], byte[]> seen = new TreeMap<>(Arrays::compareUnsigned);
    for (Map.Entry<byte[], byte[]> e : expected.tailMap(from, true).entrySet()) {
      byte[] k = e.getKey();
      if (k.length < prefix.length || !Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) {
        break;
      }
      seen.put(k, e.getValue());
    }
    return render(seen);
  }

  private void assertSame(HeapJoinState state) {
    for (byte[] key : expected.keySet()) {
      assertArrayEquals(expected.get(key), state.get(key));
    }
    for (int tag = 0; tag <= 4; tag++) {
      byte[] tagged = {(byte) tag};
      assertEquals(expectedScan(tagged, tagged), scan(state, tagged, tagged), "tag " + tag);
    }
    for (String name : NAMES) {
      byte[] prefix = prefix(1, name, 0);
      byte[] from = withLongs(prefix, sequence / 6);
      assertEquals(expectedScan(prefix, prefix), scan(state, prefix, prefix), "rows of " + name);
      assertEquals(expectedScan(from, prefix), scan(state, from, prefix), "rows of " + name + " from a time");
      byte[] partial = Arrays.copyOf(prefix, 2);
      assertEquals(expectedScan(partial, partial), scan(state, partial, partial), "rows under " + name + "'s start");
    }
  }

  @Test
  void answersAsASortedMapDoes() {
    HeapJoinState state = state();
    for (int round = 0; round < 20; round++) {
      change(state, 300);
      assertSame(state);
    }
  }

  @Test
  void deletesRangesOfTheIndexAsTheWatermarkPasses() {
    HeapJoinState state = state();
    change(state, 2000);
    // One by one from the front, as an OVER aggregation takes its due rows, with more coming meanwhile.
    for (int i = 0; i < 300; i++) {
      delete(state, expected.ceilingKey(new byte[] {3}));
      if (i % 50 == 0) {
        change(state, 20);
        assertSame(state);
      }
    }
    assertSame(state);
    for (long watermark = 0; watermark <= sequence / 3 + 10; watermark += 37) {
      byte[] from = JoinKeys.withTime(new byte[] {3}, Long.MIN_VALUE);
      byte[] to = JoinKeys.withTime(new byte[] {3}, watermark);
      state.deleteRange(from, to);
      expected.subMap(from, true, to, false).clear();
      assertSame(state);
    }
    byte[] rowsFrom = prefix(1, "a", 0);
    byte[] rowsTo = prefix(2, "b", 0);
    state.deleteRange(rowsFrom, rowsTo);
    expected.subMap(rowsFrom, true, rowsTo, false).clear();
    assertSame(state);
  }

  @Test
  void takesTheIndexBelowAWatermarkInOrderOfNumber() {
    HeapJoinState state = state();
    change(state, 2000);
    long from = Long.MIN_VALUE;
    for (long below = 0; below <= sequence / 3 + 10; below += 29) {
      byte[] fromKey = JoinKeys.withTime(new byte[] {3}, from);
      byte[] belowKey = JoinKeys.withTime(new byte[] {3}, below);
      List<byte[]> taken = new ArrayList<>();
      state.takeIndexBelow((byte) 3, from, below, taken::add);
      TreeMap<byte[], byte[]> expectedTaken = new TreeMap<>(Arrays::compareUnsigned);
      expectedTaken.putAll(expected.subMap(fromKey, true, belowKey, false));
      expected.subMap(fromKey, true, belowKey, false).clear();
      TreeMap<byte[], byte[]> seen = new TreeMap<>(Arrays::compareUnsigned);
      long number = Long.MIN_VALUE;
      for (byte[] key : taken) {
        assertTrue(OrderedBytes.getLong(key, 1) >= number, "in order of number");
        number = OrderedBytes.getLong(key, 1);
        seen.put(key, JoinKeys.EMPTY);
      }
      assertEquals(render(expectedTaken).replaceAll("=.*", ""), render(seen).replaceAll("=.*", ""));
      assertSame(state);
      from = below;
    }
  }

  /** The rows of the expected map, as the checkpoint holds them. */
  private String expectedRows() {
    TreeMap<byte[], byte[]> rows = new TreeMap<>(Arrays::compareUnsigned);
    expected.forEach((k, v) -> {
      if (k[0] == 1 || k[0] == 2) {
        rows.put(k, v);
      }
    });
    return render(rows);
  }

  /** Restores version {@code version} into a new state; returns its rows, checking each was announced once. */
  private String restoredRows(StateStore store, long version) {
    try (HeapJoinState restored = state()) {
      TreeMap<byte[], byte[]> announced = new TreeMap<>(Arrays::compareUnsigned);
      restored.restore(store, version, (k, v) -> assertTrue(announced.put(k, v) == null, "announced once"));
      BiPredicate<byte[], byte[]> none = (k, v) -> {
        throw new AssertionError("an index entry restored");
      };
      restored.scanPrefix(new byte[] {3}, none);
      restored.scanPrefix(new byte[] {0}, none);
      assertEquals(render(announced), scan(restored, new byte[] {1}, new byte[] {1})
          + scan(restored, new byte[] {2}, new byte[] {2}));
      return render(announced);
    }
  }

  @Test
  void restoresEveryVersionOfASnapshotAndDeltasChain() throws Exception {
    StateStore store = new StateStore(directory.resolve("join"), "join", allocator);
    try (HeapJoinState state = state()) {
      for (long version = 0; version < 25; version++) {
        change(state, version == 3 ? 0 : 150);
        state.commit(store, version);
        boolean snapshot = Files.exists(store.directory().resolve(version + ".snapshot"));
        assertEquals(version % StateStore.SNAPSHOT_INTERVAL == 0, snapshot, "version " + version + " is whole");
        assertEquals(expectedRows(), restoredRows(store, version), "version " + version);
      }
    }
  }

  @Test
  void restoresAndGoesOnFromAVersionRestoredInTheMiddleOfTheChain() {
    StateStore store = new StateStore(directory.resolve("join"), "join", allocator);
    try (HeapJoinState state = state()) {
      for (long version = 0; version < 4; version++) {
        change(state, 100);
        state.commit(store, version);
      }
    }
    String atThree = expectedRows();
    expected.keySet().removeIf(k -> k[0] != 1 && k[0] != 2);
    try (HeapJoinState state = state()) {
      TreeMap<byte[], byte[]> announced = new TreeMap<>(Arrays::compareUnsigned);
      state.restore(store, 3, announced::put);
      assertEquals(atThree, render(announced));
      change(state, 100);
      state.commit(store, 4);
      assertTrue(Files.exists(store.directory().resolve("4.delta")));
    }
    assertEquals(expectedRows(), restoredRows(store, 4));
  }

  @Test
  void writesTheJoinKeysColumnsThatPickEachPartitionsRows() {
    RowSchema numbers = RowSchema.of(Column.of("i", TypeKind.INT), Column.of("b", TypeKind.BIGINT),
        Column.of("t", TypeKind.TIMESTAMP));
    TypeKind[] types = {TypeKind.INT, TypeKind.BIGINT, TypeKind.TIMESTAMP};
    Object[][] keys = {{-3, 5L, java.time.LocalDateTime.of(2026, 1, 1, 0, 0)}, {null, -7L, null},
        {Integer.MAX_VALUE, Long.MIN_VALUE, java.time.LocalDateTime.of(1969, 12, 31, 23, 59, 59)}};
    StateStore store = new StateStore(directory.resolve("numbers"), "join", allocator);
    try (HeapJoinState state = new HeapJoinState(numbers, ROW_TAGS, allocator)) {
      for (int i = 0; i < keys.length; i++) {
        ByteSink sink = new ByteSink();
        sink.put((byte) 1);
        OrderedBytes.putAll(sink, keys[i], types);
        state.put(withLongs(OrderedBytes.bytes(sink), 0, i), value(i));
      }
      state.commit(store, 0);
    }
    List<String> written = new ArrayList<>();
    List<Field> fields = new ArrayList<>();
    numbers.columns().forEach(c -> fields.add(c.toArrowField()));
    fields.add(new Field("entry_key", FieldType.notNullable(new ArrowType.Binary()), null));
    fields.add(new Field("entry_value", FieldType.nullable(new ArrowType.Binary()), null));
    store.restore(0, new Schema(fields), root -> {
      for (int r = 0; r < root.getRowCount(); r++) {
        Object[] columns = new Object[3];
        for (int c = 0; c < 3; c++) {
          columns[c] = io.freshet.exec.batch.Values.get(root.getVector(c), types[c], r);
        }
        byte[] key = ((VarBinaryVector) root.getVector(3)).get(r);
        assertEquals(Arrays.toString(OrderedBytes.read(key, 1, types)), Arrays.toString(columns));
        written.add(Arrays.toString(columns));
      }
    });
    assertEquals(keys.length, written.size());
  }

  @Test
  void restoresACheckpointWrittenWholeAtEveryVersion() {
    StateStore store = new StateStore(directory.resolve("join"), "join", allocator);
    byte[] a = withLongs(prefix(1, "a", 7), 10, 0);
    byte[] b = withLongs(prefix(2, null, 7), 11, 1);
    List<Field> fields = new ArrayList<>();
    KEY.columns().forEach(c -> fields.add(c.toArrowField()));
    fields.add(new Field("entry_key", FieldType.notNullable(new ArrowType.Binary()), null));
    fields.add(new Field("entry_value", FieldType.notNullable(new ArrowType.Binary()), null));
    for (long version = 0; version < 2; version++) {
      try (VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(fields), allocator)) {
        root.allocateNew();
        byte[][] keys = version == 0 ? new byte[][] {a} : new byte[][] {a, b};
        for (int r = 0; r < keys.length; r++) {
          Object[] columns = OrderedBytes.read(keys[r], 1, KEY_TYPES);
          if (columns[0] != null) {
            ((org.apache.arrow.vector.VarCharVector) root.getVector(0)).setSafe(r,
                ((String) columns[0]).getBytes(java.nio.charset.StandardCharsets.UTF_8));
          }
          ((org.apache.arrow.vector.BigIntVector) root.getVector(1)).setSafe(r, (Long) columns[1]);
          ((VarBinaryVector) root.getVector(2)).setSafe(r, keys[r]);
          ((VarBinaryVector) root.getVector(3)).setSafe(r, value(r));
        }
        root.setRowCount(keys.length);
        store.write(version, true, List.of(root));
      }
    }
    expected.put(a, value(0));
    expected.put(b, value(1));
    assertEquals(expectedRows(), restoredRows(store, 1));
    try (HeapJoinState state = state()) {
      state.restore(store, 1, (k, v) -> { });
      state.delete(a);
      expected.remove(a);
      state.commit(store, 2);
    }
    assertTrue(Files.exists(store.directory().resolve("2.delta")), "a delta after the old snapshot");
    assertEquals(expectedRows(), restoredRows(store, 2));
  }
}
