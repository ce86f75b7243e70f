package io.freshet.sql;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.BatchBuilder;
import io.freshet.exec.connector.SharedResources;
import io.freshet.exec.memory.MemoryStream;
import io.freshet.exec.memory.MemoryTable;
import io.freshet.exec.types.RowSchema;
import io.freshet.sql.catalog.TableDefinition;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The memory of a session: the root allocator every query allocates from, and the resources that live as long as
 * the session (the memory streams and tables connectors find by name) with the child allocator their data is in.
 * Closing it closes every resource and fails if any Arrow buffer leaked.
 */
final class SessionResources implements AutoCloseable {
  private final BufferAllocator allocator;
  private final BufferAllocator resourceAllocator;
  private final SharedResources shared;

  /** @param memoryLimit the most bytes of Arrow memory all queries together may hold */
  SessionResources(long memoryLimit) {
    this.allocator = new RootAllocator(memoryLimit);
    this.resourceAllocator = allocator.newChildAllocator("session-data", 0, memoryLimit);
    this.shared = new SharedResources(resourceAllocator);
  }

  /** The root allocator, which queries allocate from. */
  BufferAllocator allocator() {
    return allocator;
  }

  /** The resources that connectors find by name. */
  SharedResources shared() {
    return shared;
  }

  /** The rows of memory stream {@code stream}, made empty the first time. */
  MemoryStream memoryStream(TableDefinition stream) {
    return shared.getOrCreate(MemoryStream.resourceKey(stream.name()), MemoryStream.class,
        () -> new MemoryStream(stream.name(), stream.schema(), resourceAllocator));
  }

  /** Replaces the content of memory table {@code name} with {@code rows}, made the first time. */
  void fillMemoryTable(String name, RowSchema schema, List<Row> rows) {
    MemoryTable table = shared.getOrCreate(MemoryTable.resourceKey(name), MemoryTable.class,
        () -> new MemoryTable(name, schema, resourceAllocator));
    table.reset(schema);
    try (Batch batch = BatchBuilder.of(schema, resourceAllocator, rows)) {
      table.commit(0, List.of(batch), OutputMode.COMPLETE);
    }
  }

  /** The rows held by memory table {@code name} (the result of a query into the memory sink). */
  List<Row> memoryTableRows(String name) {
    MemoryTable table = shared.get(MemoryTable.resourceKey(name), MemoryTable.class);
    if (table == null) {
      throw FreshetException.user("No memory table named '" + name + "'");
    }
    return table.rows();
  }

  /** Removes the resource (a memory stream or table) under {@code key} and closes it. */
  void close(String key) {
    if (shared.remove(key) instanceof AutoCloseable c) {
      closeQuietly(c);
    }
  }

  /** Closes every resource and the allocators; fails if any Arrow buffer leaked. */
  @Override
  public void close() {
    for (Object r : shared.all()) {
      if (r instanceof AutoCloseable c) {
        closeQuietly(c);
      }
    }
    try {
      resourceAllocator.close();
      allocator.close();
    } catch (IllegalStateException e) {
      throw FreshetException.internal("Arrow memory leaked when the session closed: " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      throw FreshetException.internal("cannot close " + c, e);
    }
  }
}
