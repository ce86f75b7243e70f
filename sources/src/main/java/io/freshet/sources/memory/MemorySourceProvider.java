package io.freshet.sources.memory;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.connector.ConnectorContext;
import io.freshet.exec.connector.ConnectorOptions;
import io.freshet.exec.connector.Offset;
import io.freshet.exec.connector.OptionSpec;
import io.freshet.exec.connector.Source;
import io.freshet.exec.connector.SourceProvider;
import io.freshet.exec.memory.MemoryStream;
import io.freshet.exec.memory.MemoryTable;
import io.freshet.exec.types.RowSchema;
import io.freshet.streaming.FreshetException;
import java.util.Iterator;
import java.util.List;

/**
 * {@code 'connector' = 'memory'}: reads rows that a program adds to a {@link MemoryStream} of the same name, or,
 * for a table written by the memory sink, that table's content as a bounded input.
 */
public final class MemorySourceProvider implements SourceProvider {

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(OptionSpec.optional("name", null, "the memory stream or table read, when it is not the one "
        + "declared under this name (a Dataset's withWatermark reads its stream under a new name)"));
  }

  @Override
  public RowSchema defaultSchema(ConnectorOptions options) {
    return null;
  }

  @Override
  public void validate(ConnectorOptions options, RowSchema declared) {
    // no options: the stream or table is found by its name
  }

  @Override
  public Source create(ConnectorContext context) {
    String name = context.options().has("name") ? context.options().getString("name") : context.options().table();
    MemoryTable table = context.resources().get(MemoryTable.resourceKey(name), MemoryTable.class);
    if (table != null) {
      return new MemoryTableSource(table, context);
    }
    if (context.declaredSchema() == null) {
      throw FreshetException.user("Memory stream '" + name + "' needs a column list");
    }
    MemoryStream stream = context.resources().getOrCreate(MemoryStream.resourceKey(name), MemoryStream.class,
        () -> new MemoryStream(name, context.declaredSchema(), context.resources().allocator()));
    return new MemoryStreamSource(stream, context);
  }

  /** A stream of the rows added to a {@link MemoryStream}. */
  static final class MemoryStreamSource implements Source {
    private final MemoryStream stream;
    private final ConnectorContext context;

    MemoryStreamSource(MemoryStream stream, ConnectorContext context) {
      this.stream = stream;
      this.context = context;
    }

    @Override
    public RowSchema schema() {
      return stream.schema();
    }

    private Offset availableNowLimit;
    private boolean availableNow;

    @Override
    public Offset latestOffset() {
      return availableNow ? availableNowLimit : stream.latestOffset();
    }

    @Override
    public void prepareForAvailableNow() {
      availableNowLimit = stream.latestOffset();
      availableNow = true;
    }

    @Override
    public void endAvailableNow() {
      availableNow = false;
    }

    @Override
    public Iterator<Batch> read(Offset start, Offset end) {
      return stream.read(start, end, context.allocator());
    }

    @Override
    public String description() {
      return "MemoryStream[" + stream.name() + "]";
    }
  }

  /**
   * A memory table read as a bounded input: its content as of the batch it held when the query started. The
   * offset is that batch id, so a re-run reads the same rows (or fails if the table moved on in complete mode).
   */
  static final class MemoryTableSource implements Source {
    private final MemoryTable table;
    private final ConnectorContext context;
    private final long snapshotBatchId;

    MemoryTableSource(MemoryTable table, ConnectorContext context) {
      this.table = table;
      this.context = context;
      this.snapshotBatchId = table.lastBatchId();
    }

    @Override
    public RowSchema schema() {
      return table.schema();
    }

    @Override
    public Offset latestOffset() {
      return snapshotBatchId < 0 ? null : new Offset(Long.toString(snapshotBatchId));
    }

    @Override
    public Iterator<Batch> read(Offset start, Offset end) {
      return table.read(start == null ? -1 : id(start), id(end), context.allocator());
    }

    private static long id(Offset offset) {
      try {
        return Long.parseLong(offset.json().trim());
      } catch (NumberFormatException e) {
        throw FreshetException.user("Not an offset of a memory table: '" + offset.json() + "'");
      }
    }

    @Override
    public boolean isExhausted(Offset offset) {
      return snapshotBatchId < 0 || (offset != null && id(offset) >= snapshotBatchId);
    }

    @Override
    public void prepareForAvailableNow() {
      // Already bounded: it reads the content held when the query started.
    }

    @Override
    public void endAvailableNow() {
    }

    @Override
    public String description() {
      return "MemoryTable[" + table.name() + "]";
    }
  }
}
