package io.freshet.exec.engine;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.RowKind;
import io.freshet.exec.connector.BatchWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Hands a changelog result to a sink in update mode, as upserts and deletes by the result's key: +I and +U rows
 * are written (each replaces the row of its key) and -D rows deleted. A -U row is followed by the +U that
 * replaces it, unless a filter over the aggregation dropped the new row: a -U whose key no row of the micro-batch
 * writes again is a delete. A result without a key (a projection dropped part of it) gets its -U rows as deletes
 * of rows equal to them. The sink sees the result's columns only, never the row-kind column. One writer serves
 * one micro-batch; the rows it holds are the result's, boxed only to compare keys.
 */
final class UpsertWriter implements BatchWriter {
  private final BatchWriter sink;
  private final BufferAllocator allocator;
  /** The result's key, or null when it has none. */
  private final int[] key;
  private final Set<List<Object>> written = new HashSet<>();
  private final List<Batch> takenBack = new ArrayList<>();

  UpsertWriter(BatchWriter sink, int[] key, BufferAllocator allocator) {
    this.sink = sink;
    this.key = key;
    this.allocator = allocator;
  }

  @Override
  public void write(Batch batch) {
    if (!RowKind.present(batch)) {
      sink.write(batch);
      return;
    }
    // Without a key, a -U row is deleted as it is (the sink removes an equal row); rows taken back go first.
    try (Batch deletes = RowKind.select(batch, k -> k == RowKind.DELETE || key == null && RowKind.retracts(k),
        true, allocator)) {
      if (deletes != null) {
        sink.delete(deletes);
      }
    }
    if (key != null) {
      Batch before = RowKind.select(batch, k -> k == RowKind.UPDATE_BEFORE, true, allocator);
      if (before != null) {
        takenBack.add(before);
      }
    }
    try (Batch upserts = RowKind.select(batch, k -> !RowKind.retracts(k), true, allocator)) {
      if (upserts != null) {
        if (key != null) {
          for (int r = 0; r < upserts.rowCount(); r++) {
            written.add(key(upserts, r));
          }
        }
        sink.write(upserts);
      }
    }
  }

  private List<Object> key(Batch batch, int row) {
    Object[] values = new Object[key.length];
    for (int i = 0; i < key.length; i++) {
      values[i] = batch.value(key[i], row);
    }
    return Arrays.asList(values);
  }

  @Override
  public void delete(Batch rows) {
    sink.delete(rows);
  }

  @Override
  public void commit() {
    try {
      for (Batch before : takenBack) {
        int[] gone = new int[before.rowCount()];
        int n = 0;
        for (int r = 0; r < before.rowCount(); r++) {
          if (written.add(key(before, r))) {
            gone[n++] = r;
          }
        }
        if (n > 0) {
          try (Batch deletes = RowKind.rows(before, gone, n, before.columnCount(), allocator)) {
            sink.delete(deletes);
          }
        }
      }
    } catch (RuntimeException | Error e) {
      release();
      throw e;
    }
    release();
    sink.commit();
  }

  @Override
  public void abort() {
    release();
    sink.abort();
  }

  private void release() {
    takenBack.forEach(Batch::close);
    takenBack.clear();
    written.clear();
  }
}
