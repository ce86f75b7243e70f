package io.freshet.exec.join;

import io.freshet.exec.batch.Owned;
import io.freshet.exec.batch.Values;
import io.freshet.exec.state.OrderedBytes;
import io.freshet.exec.state.StateStore;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The checkpoint of a {@link HeapJoinState}'s rows in a {@link StateStore}: an Arrow file of the join key's
 * columns, decoded from each row's key so that a restart with another number of partitions can pick each
 * partition's keys, then the entry's key and value. A snapshot holds every row; a delta the rows put since the
 * version before, and those deleted with a null value. Checkpoints written before deltas existed (a snapshot at
 * every version, whose value column is not nullable) restore too.
 */
final class JoinCheckpoint {
  private final RowSchema keySchema;
  private final TypeKind[] keyTypes;
  private final BufferAllocator allocator;

  JoinCheckpoint(RowSchema keySchema, BufferAllocator allocator) {
    this.keySchema = keySchema;
    this.keyTypes = keySchema.columns().stream().map(c -> c.type()).toArray(TypeKind[]::new);
    this.allocator = allocator;
  }

  private Schema schema(boolean deletes) {
    List<Field> fields = new ArrayList<>();
    keySchema.columns().forEach(c -> fields.add(c.toArrowField()));
    fields.add(new Field("entry_key", FieldType.notNullable(new ArrowType.Binary()), null));
    fields.add(new Field("entry_value", deletes ? FieldType.nullable(new ArrowType.Binary())
        : FieldType.notNullable(new ArrowType.Binary()), null));
    return new Schema(fields);
  }

  /**
   * Writes version {@code version}: the entries {@code keys} with their {@code values} (a null value: the key was
   * deleted), all of them when {@code snapshot}, else what changed since the version before.
   */
  void write(StateStore store, long version, boolean snapshot, List<byte[]> keys, List<byte[]> values) {
    Schema schema = schema(true);
    int n = keys.size();
    List<FieldVector> vectors = new ArrayList<>();
    Owned.orClose(vectors, () -> {
      for (Field field : schema.getFields()) {
        FieldVector v = field.createVector(allocator);
        v.setInitialCapacity(n);
        v.allocateNew();
        vectors.add(v);
      }
      int k = keyTypes.length;
      VarBinaryVector keyVector = (VarBinaryVector) vectors.get(k);
      VarBinaryVector valueVector = (VarBinaryVector) vectors.get(k + 1);
      for (int r = 0; r < n; r++) {
        byte[] key = keys.get(r);
        if (!setNumbers(vectors, r, key)) {
          Object[] columns = OrderedBytes.read(key, 1, keyTypes);
          for (int c = 0; c < k; c++) {
            Values.set(vectors.get(c), keyTypes[c], r, columns[c]);
          }
        }
        keyVector.setSafe(r, key);
        if (values.get(r) == null) {
          valueVector.setNull(r);
        } else {
          valueVector.setSafe(r, values.get(r));
        }
      }
      vectors.forEach(v -> v.setValueCount(n));
    });
    try (VectorSchemaRoot root = new VectorSchemaRoot(schema.getFields(), vectors, n)) {
      store.write(version, snapshot, List.of(root));
    }
  }

  /**
   * Sets row {@code r} of the key columns from {@code key} (after its tag) without boxing, when they are all INT,
   * BIGINT or TIMESTAMP (a number written as {@link OrderedBytes} writes it); returns false, setting nothing, if not.
   */
  private boolean setNumbers(List<FieldVector> vectors, int r, byte[] key) {
    for (TypeKind type : keyTypes) {
      if (type != TypeKind.INT && type != TypeKind.BIGINT && type != TypeKind.TIMESTAMP) {
        return false;
      }
    }
    int p = 1;
    for (int c = 0; c < keyTypes.length; c++) {
      FieldVector v = vectors.get(c);
      if (key[p++] == 0) {
        Values.set(v, keyTypes[c], r, null);
        continue;
      }
      int width = keyTypes[c] == TypeKind.INT ? 4 : 8;
      long bits = 0;
      for (int i = 0; i < width; i++) {
        bits = (bits << 8) | (key[p++] & 0xFF);
      }
      if (keyTypes[c] == TypeKind.INT) {
        ((IntVector) v).setSafe(r, (int) bits ^ Integer.MIN_VALUE);
      } else if (keyTypes[c] == TypeKind.BIGINT) {
        ((BigIntVector) v).setSafe(r, bits ^ Long.MIN_VALUE);
      } else {
        ((TimeStampMilliVector) v).setSafe(r, bits ^ Long.MIN_VALUE);
      }
    }
    return true;
  }

  /**
   * Reads version {@code version} (its snapshot, then the deltas after it), handing each entry to {@code put} and
   * each deleted key to {@code delete}.
   */
  void restore(StateStore store, long version, BiConsumer<byte[], byte[]> put, java.util.function.Consumer<byte[]>
      delete) {
    int k = keyTypes.length;
    Schema everySnapshot = schema(false);
    store.restore(version, schema(true), everySnapshot::equals, root -> {
      VarBinaryVector keys = (VarBinaryVector) root.getVector(k);
      VarBinaryVector values = (VarBinaryVector) root.getVector(k + 1);
      for (int r = 0; r < root.getRowCount(); r++) {
        if (values.isNull(r)) {
          delete.accept(keys.get(r));
        } else {
          put.accept(keys.get(r), values.get(r));
        }
      }
    });
  }
}
