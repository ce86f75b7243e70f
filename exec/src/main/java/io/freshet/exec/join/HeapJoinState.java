package io.freshet.exec.join;

import io.freshet.exec.batch.Owned;
import io.freshet.exec.batch.Values;
import io.freshet.exec.state.OrderedBytes;
import io.freshet.exec.state.StateStore;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * An interval join's state on the heap: a sorted map of byte keys. The checkpoint holds its rows (the entries
 * whose key begins with a row tag) as an Arrow file of the join key's columns, decoded from the entry's key so that
 * a restart with another number of partitions can pick each partition's keys, then the entry's key and value.
 */
public final class HeapJoinState implements JoinState {
  private final TreeMap<byte[], byte[]> entries = new TreeMap<>(Arrays::compareUnsigned);
  private final RowSchema keySchema;
  private final TypeKind[] keyTypes;
  private final byte[] rowTags;
  private final BufferAllocator allocator;
  private long bytes;

  /** @param rowTags the first bytes of the keys of rows, each followed by the join key's values ascending */
  public HeapJoinState(RowSchema keySchema, byte[] rowTags, BufferAllocator allocator) {
    this.keySchema = keySchema;
    this.keyTypes = keySchema.columns().stream().map(c -> c.type()).toArray(TypeKind[]::new);
    this.rowTags = rowTags.clone();
    this.allocator = allocator;
  }

  @Override
  public void put(byte[] key, byte[] value) {
    byte[] old = entries.put(key, value);
    bytes += value.length - (old == null ? -key.length - 64 : old.length);
  }

  @Override
  public void delete(byte[] key) {
    byte[] old = entries.remove(key);
    if (old != null) {
      bytes -= key.length + old.length + 64;
    }
  }

  @Override
  public void deleteRange(byte[] from, byte[] to) {
    var range = entries.subMap(from, true, to, false);
    for (Map.Entry<byte[], byte[]> e : range.entrySet()) {
      bytes -= e.getKey().length + e.getValue().length + 64;
    }
    range.clear();
  }

  @Override
  public byte[] get(byte[] key) {
    return entries.get(key);
  }

  @Override
  public void scanFrom(byte[] from, byte[] prefix, BiPredicate<byte[], byte[]> visitor) {
    for (Map.Entry<byte[], byte[]> e : entries.tailMap(from, true).entrySet()) {
      byte[] key = e.getKey();
      if (key.length < prefix.length || !Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length)
          || !visitor.test(key, e.getValue())) {
        return;
      }
    }
  }

  private boolean isRow(byte[] key) {
    for (byte tag : rowTags) {
      if (key[0] == tag) {
        return true;
      }
    }
    return false;
  }

  private Schema stateSchema() {
    List<Field> fields = new ArrayList<>();
    keySchema.columns().forEach(c -> fields.add(c.toArrowField()));
    fields.add(new Field("entry_key", FieldType.notNullable(new ArrowType.Binary()), null));
    fields.add(new Field("entry_value", FieldType.notNullable(new ArrowType.Binary()), null));
    return new Schema(fields);
  }

  @Override
  public void commit(StateStore store, long version) {
    List<Map.Entry<byte[], byte[]>> rows = new ArrayList<>();
    for (Map.Entry<byte[], byte[]> e : entries.entrySet()) {
      if (isRow(e.getKey())) {
        rows.add(e);
      }
    }
    Schema schema = stateSchema();
    List<FieldVector> vectors = new ArrayList<>();
    Owned.orClose(vectors, () -> {
      for (Field field : schema.getFields()) {
        FieldVector v = field.createVector(allocator);
        v.setInitialCapacity(rows.size());
        v.allocateNew();
        vectors.add(v);
      }
      int k = keyTypes.length;
      for (int r = 0; r < rows.size(); r++) {
        byte[] key = rows.get(r).getKey();
        Object[] values = OrderedBytes.read(key, 1, keyTypes);
        for (int c = 0; c < k; c++) {
          Values.set(vectors.get(c), keyTypes[c], r, values[c]);
        }
        ((VarBinaryVector) vectors.get(k)).setSafe(r, key);
        ((VarBinaryVector) vectors.get(k + 1)).setSafe(r, rows.get(r).getValue());
      }
      vectors.forEach(v -> v.setValueCount(rows.size()));
    });
    try (VectorSchemaRoot root = new VectorSchemaRoot(schema.getFields(), vectors, rows.size())) {
      store.write(version, true, List.of(root));
    }
  }

  @Override
  public boolean restore(StateStore store, long version, BiConsumer<byte[], byte[]> added) {
    if (version < 0) {
      return false;
    }
    int k = keyTypes.length;
    store.restore(version, stateSchema(), root -> {
      VarBinaryVector keys = (VarBinaryVector) root.getVector(k);
      VarBinaryVector values = (VarBinaryVector) root.getVector(k + 1);
      for (int r = 0; r < root.getRowCount(); r++) {
        byte[] key = keys.get(r);
        byte[] value = values.get(r);
        put(key, value);
        added.accept(key, value);
      }
    });
    return false;
  }

  @Override
  public long heapBytes() {
    return bytes;
  }

  @Override
  public void close() {
    entries.clear();
    bytes = 0;
  }
}
