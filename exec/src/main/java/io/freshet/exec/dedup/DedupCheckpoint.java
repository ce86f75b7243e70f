package io.freshet.exec.dedup;

import io.freshet.exec.state.StateStore;
import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A deduplication's slots in the checkpoint of the memory state store: one Arrow row per key, its key columns (by
 * which the state moves between partitions), what it holds ({@link DedupSlots#PENDING}, {@link DedupSlots#EMITTED}
 * or {@link DedupSlots#KEPT}) and its row ({@link DedupRowCodec}, null for a marker). A snapshot holds every key, a
 * delta the keys changed in its micro-batch; a key only ever changes what it holds, so restoring applies them in
 * order and the last wins.
 */
final class DedupCheckpoint {
  private final DedupSlots slots;
  private final RowSchema keySchema;
  private final BufferAllocator allocator;
  private final Schema schema;

  DedupCheckpoint(DedupSlots slots, RowSchema keySchema, BufferAllocator allocator) {
    this.slots = slots;
    this.keySchema = keySchema;
    this.allocator = allocator;
    List<Field> fields = new ArrayList<>();
    for (Column c : keySchema.columns()) {
      fields.add(new Column(c.name(), c.type(), true).toArrowField());
    }
    fields.add(new Field("status", FieldType.notNullable(new ArrowType.Int(32, true)), null));
    fields.add(new Field("row", FieldType.nullable(ArrowType.Binary.INSTANCE), null));
    this.schema = new Schema(fields);
  }

  /** Writes version {@code version}: every key when a snapshot is due, else those changed in its micro-batch. */
  void commit(StateStore store, long version) {
    boolean snapshot = store.snapshotDue(version);
    int[] list = snapshot ? slots.held() : slots.changed();
    List<FieldVector> vectors = new ArrayList<>();
    try {
      for (int c = 0; c < keySchema.size(); c++) {
        FieldVector key = slots.keyVector(c, list, allocator);
        vectors.add(key);
      }
      IntVector status = new IntVector(schema.getFields().get(keySchema.size()), allocator);
      vectors.add(status);
      VarBinaryVector rows = new VarBinaryVector(schema.getFields().get(keySchema.size() + 1), allocator);
      vectors.add(rows);
      status.allocateNew(list.length);
      rows.allocateNew(list.length);
      for (int i = 0; i < list.length; i++) {
        status.set(i, slots.status(list[i]));
        byte[] row = slots.row(list[i]);
        if (row == null) {
          rows.setNull(i);
        } else {
          rows.setSafe(i, row);
        }
      }
      List<FieldVector> fields = new ArrayList<>(vectors.size());
      for (int c = 0; c < vectors.size(); c++) {
        FieldVector v = vectors.get(c);
        v.setValueCount(list.length);
        fields.add(c < keySchema.size() ? withField(v, schema.getFields().get(c)) : v);
      }
      vectors = fields;
      try (VectorSchemaRoot root = new VectorSchemaRoot(schema.getFields(), vectors, list.length)) {
        vectors = List.of();
        store.write(version, snapshot, List.of(root));
      }
    } finally {
      vectors.forEach(FieldVector::close);
    }
    slots.committed();
  }

  /** The key vector under the state's field (nullable, named as the key), sharing its buffers. */
  private FieldVector withField(FieldVector v, Field field) {
    if (v.getField().equals(field)) {
      return v;
    }
    var pair = v.getTransferPair(field, allocator);
    pair.transfer();
    v.close();
    return (FieldVector) pair.getTo();
  }

  /** Adds the keys of version {@code version} (those the store's filter selects, after a change of partitions). */
  void restore(StateStore store, long version) {
    store.restore(version, schema, root -> {
      int n = root.getRowCount();
      FieldVector[] keys = new FieldVector[keySchema.size()];
      for (int c = 0; c < keys.length; c++) {
        keys[c] = root.getVector(c);
      }
      int[] found = new int[n];
      slots.find(keys, n, found);
      IntVector status = (IntVector) root.getVector(keys.length);
      VarBinaryVector rows = (VarBinaryVector) root.getVector(keys.length + 1);
      for (int i = 0; i < n; i++) {
        byte[] row = rows.isNull(i) ? null : rows.get(i);
        slots.load(found[i], (byte) status.get(i), row == null ? 0 : DedupRowCodec.time(row), row);
      }
    });
  }
}
