package io.freshet.exec.memory;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.BatchBuilder;
import io.freshet.exec.connector.Offset;
import io.freshet.exec.types.RowSchema;
import io.freshet.streaming.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Rows added by a program (a test, an embedding application) to be read as a stream, like Spark's
 * MemoryStream. Each {@link #addData} call is one offset; the data stays for the life of the session so that a
 * query restarted from its checkpoint can read it again. Thread-safe.
 */
public final class MemoryStream implements AutoCloseable {
  private final String name;
  private final RowSchema schema;
  private final BufferAllocator allocator;
  private final List<Batch> added = new ArrayList<>();

  public MemoryStream(String name, RowSchema schema, BufferAllocator allocator) {
    this.name = name;
    this.schema = schema;
    this.allocator = allocator;
  }

  /** The key of the stream named {@code name} in the session's shared resources. */
  public static String resourceKey(String name) {
    return "memory-stream:" + name.toLowerCase(java.util.Locale.ROOT);
  }

  public String name() {
    return name;
  }

  public RowSchema schema() {
    return schema;
  }

  /** Adds rows as one new offset and returns it. */
  public synchronized Offset addData(List<Row> rows) {
    added.add(BatchBuilder.of(schema, allocator, rows));
    notifyAll();
    return offset(added.size() - 1);
  }

  public Offset addData(Row... rows) {
    return addData(Arrays.asList(rows));
  }

  /** The last offset added, or null when nothing was added. */
  public synchronized Offset latestOffset() {
    return added.isEmpty() ? null : offset(added.size() - 1);
  }

  /** Views of the batches after {@code start} up to {@code end}, owned by the caller. */
  public synchronized Iterator<Batch> read(Offset start, Offset end, BufferAllocator target) {
    int from = start == null ? 0 : index(start) + 1;
    int to = index(end);
    if (to >= added.size()) {
      throw io.freshet.streaming.FreshetException.user("Memory stream '" + name + "' has no offset " + to
          + "; it holds " + added.size() + " additions (was the data added in another session?)");
    }
    return Batch.views(added.subList(from, to + 1), target, this);
  }

  static Offset offset(int index) {
    return new Offset(Integer.toString(index));
  }

  static int index(Offset offset) {
    try {
      return Integer.parseInt(offset.json().trim());
    } catch (NumberFormatException e) {
      throw io.freshet.streaming.FreshetException.user("Not an offset of a memory stream: '" + offset.json() + "'");
    }
  }

  @Override
  public synchronized void close() {
    added.forEach(Batch::close);
    added.clear();
  }
}
