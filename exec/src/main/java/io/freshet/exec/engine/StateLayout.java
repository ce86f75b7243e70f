package io.freshet.exec.engine;

import io.freshet.exec.aggregate.KeyGroups;
import io.freshet.exec.operator.StatefulOperator;
import io.freshet.exec.plan.PlanNode;
import io.freshet.exec.state.RowFilter;
import io.freshet.exec.state.StateStore;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.FreshetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;

/**
 * Where a stateful node's state lives in the checkpoint: one directory per partition, named by the range of key
 * groups the partition owns ({@code state/<node>/<first>-<last>}). A query restarted with another number of
 * partitions finds its keys in the directories of the previous layout and takes the rows of its own key groups
 * from each; its first commit then writes its own directories whole, and once a second batch is committed in
 * the new layout (so that the batch before the last can still be restored from the new one) the previous
 * layout's directories are removed.
 */
final class StateLayout {
  private static final Pattern RANGE = Pattern.compile("(\\d+)-(\\d+)");

  private StateLayout() {
  }

  /** A directory of a node's state and the key groups it holds. */
  private record Range(Path directory, int first, int last) {
  }

  static Path directory(Checkpoint checkpoint, int node, int partition, int partitions) {
    return checkpoint.stateDirectory(node, KeyGroups.first(partition, partitions),
        KeyGroups.last(partition, partitions));
  }

  /**
   * The stores from which partition {@code partition} restores version {@code version} of {@code node}'s state:
   * its own when it holds that version; otherwise those of a complete earlier layout (the directories of every
   * partition of some number of partitions, each holding the version) that overlap its key groups, restoring only
   * the rows of its groups. A committed version that no complete layout holds is an error, never empty state.
   */
  static List<StateStore> restoreFrom(Checkpoint checkpoint, PlanNode node, int partition, int partitions,
      long version, StateStore own, StatefulOperator operator, TypeKind[] keyTypes) {
    if (version < 0 || StateStore.holds(own.directory(), version)) {
      return List.of(own);
    }
    Path nodeDirectory = checkpoint.stateDirectory(node.id());
    List<Range> layout = completeLayout(ranges(nodeDirectory), version);
    if (layout == null) {
      List<String> lacking = new ArrayList<>();
      for (Range r : ranges(nodeDirectory)) {
        if (!StateStore.holds(r.directory(), version)) {
          lacking.add(r.directory() + " has no " + version + ".snapshot, " + version + ".delta or rocksdb-" + version
              + ".json");
        }
      }
      if (!Files.isDirectory(own.directory())) {
        lacking.add(0, own.directory() + " is missing");
      }
      throw FreshetException.user("The state of operator " + node.id() + " (" + operator.name() + ") for batch "
          + version + " cannot be restored: " + String.join("; ", lacking) + ", and no complete set of directories "
          + "under " + nodeDirectory + " holds it. Restore the checkpoint from a backup, or start the query with a "
          + "new checkpoint location");
    }
    int[] keyColumns = operator.stateKeyColumns();
    if (keyColumns == null) {
      throw FreshetException.user("Operator " + node.id() + " (" + operator.name() + ") cannot move its state to "
          + "another number of partitions; restart the query with 'parallelism' = " + layout.size() + ", as "
          + "before, or with a new checkpoint location");
    }
    int first = KeyGroups.first(partition, partitions);
    int last = KeyGroups.last(partition, partitions);
    List<StateStore> stores = new ArrayList<>();
    for (Range range : layout) {
      if (range.last() >= first && range.first() <= last) {
        stores.add(new StateStore(range.directory(), "operator " + node.id() + " (" + operator.name() + ") key groups "
            + range.first() + "-" + range.last(), own.allocator()).restoredInto(own.directory(),
            keyGroupFilter(keyColumns, keyTypes, first, last)));
      }
    }
    return stores;
  }

  /**
   * The directories of one number of partitions that together hold every key group at {@code version}, or null;
   * with several (a crash between two changes of the number), the one with the fewest partitions.
   */
  private static List<Range> completeLayout(List<Range> ranges, long version) {
    for (int partitions = 1; partitions <= KeyGroups.COUNT; partitions++) {
      List<Range> layout = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        int first = KeyGroups.first(p, partitions);
        int last = KeyGroups.last(p, partitions);
        ranges.stream().filter(r -> r.first() == first && r.last() == last
            && StateStore.holds(r.directory(), version)).findFirst().ifPresent(layout::add);
      }
      if (layout.size() == partitions) {
        return layout;
      }
    }
    return null;
  }

  /**
   * Keeps the rows whose key (in {@code keyColumns}, of {@code keyTypes}) falls in key groups first..last. State
   * written before a source column was widened holds as INT a key that is BIGINT now: INT and BIGINT keys hash
   * alike, so such a key is hashed as the INT it is.
   */
  private static RowFilter keyGroupFilter(int[] keyColumns, TypeKind[] keyTypes, int first, int last) {
    KeyGroups groups = new KeyGroups(keyTypes);
    return (root, rows) -> {
      int n = root.getRowCount();
      FieldVector[] keys = new FieldVector[keyColumns.length];
      TypeKind[] types = keyTypes.clone();
      boolean narrow = false;
      for (int k = 0; k < keys.length; k++) {
        keys[k] = root.getVector(keyColumns[k]);
        if (types[k] == TypeKind.BIGINT && keys[k] instanceof IntVector) {
          types[k] = TypeKind.INT;
          narrow = true;
        }
      }
      int[] assigned = new int[n];
      (narrow ? new KeyGroups(types) : groups).assign(keys, n, assigned);
      int kept = 0;
      for (int i = 0; i < n; i++) {
        if (assigned[i] >= first && assigned[i] <= last) {
          rows[kept++] = i;
        }
      }
      return kept;
    };
  }

  /** Removes the directories of {@code node} that belong to no partition of the current layout. */
  static void removeOtherLayouts(Checkpoint checkpoint, int node, int partitions) {
    for (Range range : ranges(checkpoint.stateDirectory(node))) {
      int partition = KeyGroups.partitionOf(range.first(), partitions);
      if (range.first() != KeyGroups.first(partition, partitions)
          || range.last() != KeyGroups.last(partition, partitions)) {
        deleteRecursively(range.directory());
      }
    }
  }

  private static List<Range> ranges(Path nodeDirectory) {
    List<Range> ranges = new ArrayList<>();
    if (!Files.isDirectory(nodeDirectory)) {
      return ranges;
    }
    try (Stream<Path> dirs = Files.list(nodeDirectory)) {
      for (Path dir : (Iterable<Path>) dirs::iterator) {
        Matcher m = RANGE.matcher(dir.getFileName().toString());
        if (m.matches()) {
          ranges.add(new Range(dir, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
        }
      }
    } catch (IOException e) {
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot list the state directory " + nodeDirectory
          + ": " + e.getMessage() + "; check its permissions", e);
    }
    ranges.sort(Comparator.comparingInt(Range::first));
    return ranges;
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Housekeeping: a directory left behind holds an older version, which no restore picks.
    }
  }
}
