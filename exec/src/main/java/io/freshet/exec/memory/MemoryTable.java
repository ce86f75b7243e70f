package io.freshet.exec.memory;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.BatchBuilder;
import io.freshet.exec.types.RowSchema;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The result of a query kept in memory under a name, written by the memory sink and read by SQL and the Java
 * API. Batches are kept per micro-batch id, so a batch written again after a restart is ignored. In complete
 * mode each batch replaces the whole content; when the result is a changelog (update mode over an aggregation or
 * Top-N), the table holds the result as it stands: each row replaces the row of its key, deleted rows go (without
 * a key, a deleted row removes an equal one).
 * Thread-safe.
 */
public final class MemoryTable implements AutoCloseable {
  private final String name;
  private final BufferAllocator allocator;
  private RowSchema schema;
  private final Map<Long, List<Batch>> batches = new LinkedHashMap<>();
  private long lastBatchId = -1;
  private String owner;
  /** Whether the table is one whole result (complete mode, or update mode by key), not rows appended by batch. */
  private boolean complete;
  /** In update mode with a result key: the result's rows by key, in the order their keys first came. */
  private final Map<List<Object>, Row> byKey = new LinkedHashMap<>();
  /** In update mode without a key: how many times each row is in the result. */
  private final Map<List<Object>, Integer> counts = new LinkedHashMap<>();

  public MemoryTable(String name, RowSchema schema, BufferAllocator allocator) {
    this.name = name;
    this.schema = schema;
    this.allocator = allocator;
  }

  /** The key of the table named {@code name} in the session's shared resources. */
  public static String resourceKey(String name) {
    return "memory-table:" + name.toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Makes {@code queryId} the writer of this table. A query restarted from its checkpoint keeps the content
   * (replayed batch ids are ignored); a different query starts it afresh.
   */
  public synchronized void claim(String queryId, RowSchema newSchema) {
    if (!queryId.equals(owner)) {
      reset(newSchema);
      owner = queryId;
    }
  }

  public String name() {
    return name;
  }

  public synchronized RowSchema schema() {
    return schema;
  }

  /** Whether batch {@code batchId} is already held (a replay after restart). */
  public synchronized boolean holds(long batchId) {
    return batchId <= lastBatchId;
  }

  /** Stores the output of one micro-batch; the batches are copied (shared), the caller keeps its own. */
  public synchronized void commit(long batchId, List<Batch> output, OutputMode mode) {
    if (holds(batchId)) {
      return;
    }
    complete = mode == OutputMode.COMPLETE;
    if (complete) {
      clearBatches();
    }
    List<Batch> kept = new ArrayList<>();
    for (Batch b : output) {
      kept.add(b.share(allocator));
    }
    batches.put(batchId, kept);
    lastBatchId = batchId;
    notifyAll();
  }

  /**
   * Stores the changes of one micro-batch of a changelog result in update mode: the table holds the result as it
   * stands, each row written replacing the row of its {@code key} (null: a row deleted removes an equal one) and
   * the rows {@code deleted} removed, as the table's one batch.
   */
  public synchronized void commitChanges(long batchId, List<Batch> output, List<Batch> deleted, int[] key) {
    if (holds(batchId)) {
      return;
    }
    for (Batch b : deleted) {
      for (Row row : b.rows()) {
        if (key != null) {
          byKey.remove(key(row, key));
        } else {
          List<Object> whole = key(row, null);
          Integer count = counts.get(whole);
          if (count != null) {
            if (count == 1) {
              counts.remove(whole);
            } else {
              counts.put(whole, count - 1);
            }
          }
        }
      }
    }
    for (Batch b : output) {
      for (Row row : b.rows()) {
        if (key != null) {
          byKey.put(key(row, key), row);
        } else {
          counts.merge(key(row, null), 1, Integer::sum);
        }
      }
    }
    List<Row> result = new ArrayList<>(byKey.values());
    counts.forEach((values, count) -> {
      for (int i = 0; i < count; i++) {
        result.add(Row.of(values.toArray()));
      }
    });
    clearBatches();
    complete = true;
    batches.put(batchId, result.isEmpty() ? List.of() : List.of(BatchBuilder.of(schema, allocator, result)));
    lastBatchId = batchId;
    notifyAll();
  }

  /** The values of {@code key} (null: every column) of {@code row}. */
  private static List<Object> key(Row row, int[] key) {
    Object[] values = new Object[key == null ? row.size() : key.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = row.get(key == null ? i : key[i]);
    }
    return Arrays.asList(values);
  }

  /** All rows in arrival order. */
  public synchronized List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    for (List<Batch> list : batches.values()) {
      for (Batch b : list) {
        rows.addAll(b.rows());
      }
    }
    return rows;
  }

  public synchronized long lastBatchId() {
    return lastBatchId;
  }

  /**
   * The table's content as of micro-batch {@code upToBatchId}, less what was there after {@code afterBatchId}
   * (-1: from the start), as views made one at a time while the caller iterates, each owned by the caller. A
   * complete-mode table is its last batch, so only the whole of it can be read. Fails, rather than returning other
   * rows, when the table no longer holds that version.
   */
  public synchronized java.util.Iterator<Batch> read(long afterBatchId, long upToBatchId, BufferAllocator target) {
    List<Batch> range = new ArrayList<>();
    boolean held = upToBatchId <= lastBatchId;
    if (complete) {
      held &= upToBatchId == lastBatchId;
      if (held && afterBatchId < upToBatchId) {
        batches.values().forEach(range::addAll);
      }
    } else {
      for (Map.Entry<Long, List<Batch>> e : batches.entrySet()) {
        if (e.getKey() > afterBatchId && e.getKey() <= upToBatchId) {
          range.addAll(e.getValue());
        }
      }
    }
    if (!held) {
      throw io.freshet.streaming.FreshetException.user("Memory table '" + name + "' no longer holds its content "
          + "as of batch " + upToBatchId + " (it is at batch " + lastBatchId + ")");
    }
    return Batch.views(range, target, this);
  }


  /** Forgets the content and batch ids, e.g. when a new query takes the table over. */
  public synchronized void reset(RowSchema newSchema) {
    clearBatches();
    byKey.clear();
    counts.clear();
    lastBatchId = -1;
    schema = newSchema;
  }

  private void clearBatches() {
    batches.values().forEach(list -> list.forEach(Batch::close));
    batches.clear();
  }

  @Override
  public synchronized void close() {
    clearBatches();
  }
}
