package io.freshet.exec.state;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.BatchBuilder;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Restores a partition's key-value state: from its own checkpoint, or, after a change in the number of partitions,
 * gathered from each store of the previous layout that holds some of its keys, into a state emptied once.
 */
public final class KeyValueRestore {
  /** What holds the state. */
  public interface Target {
    /** Opens version {@code version} of the partition's own checkpoint, or an empty state when it is negative. */
    void restore(long version);

    /** Adds the entries of version {@code version} of another partition's {@code store} that this one owns. */
    void importFrom(StateStore store, long version);
  }

  private boolean gathering;

  /** Restores version {@code version} from {@code store}, the partition's own or one of the previous layout's. */
  public void restore(Target target, StateStore store, long version) {
    if (store.home().equals(store.directory())) {
      target.restore(version);
      return;
    }
    if (!gathering) {
      target.restore(-1);
      gathering = true;
    }
    target.importFrom(store, version);
  }

  /**
   * Per encoded key: whether it is a row's (its first byte is {@code tag}) whose partition, the values of
   * {@code partition}'s columns of {@code rowSchema} written ascending from {@code offset}, falls in the key groups
   * of {@code store}'s partition.
   */
  public static boolean[] inKeyGroups(StateStore store, List<byte[]> keys, byte tag, int offset, RowSchema rowSchema,
      int[] partition) {
    boolean[] kept = new boolean[keys.size()];
    TypeKind[] types = Arrays.stream(partition).mapToObj(rowSchema::type).toArray(TypeKind[]::new);
    RowSchema partitionSchema = new RowSchema(Arrays.stream(partition).mapToObj(rowSchema::column).toList());
    List<Row> partitions = new ArrayList<>();
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      if (keys.get(i)[0] == tag) {
        partitions.add(Row.of(OrderedBytes.read(keys.get(i), offset, types)));
        rows.add(i);
      }
    }
    if (partitions.isEmpty()) {
      return kept;
    }
    try (Batch batch = BatchBuilder.of(partitionSchema, store.allocator(), partitions)) {
      List<FieldVector> vectors = new ArrayList<>();
      for (int c = 0; c < batch.columnCount(); c++) {
        vectors.add(batch.vector(c));
      }
      VectorSchemaRoot root = new VectorSchemaRoot(partitionSchema.columns().stream()
          .map(c -> c.toArrowField()).toList(), vectors, batch.rowCount());
      int[] selected = new int[batch.rowCount()];
      int n = store.filter().select(root, selected);
      for (int i = 0; i < n; i++) {
        kept[rows.get(selected[i])] = true;
      }
    }
    return kept;
  }

}
