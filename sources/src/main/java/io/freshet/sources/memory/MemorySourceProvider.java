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
    return List.of();
  }

  @Override
  public RowSchema defaultSchema(ConnectorOptions options) {
    return null;
  }

  @Override
  public Source create(ConnectorContext context) {
    String name = context.options().table();
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

    @Override
    public Offset latestOffset() {
      return stream.latestOffset();
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

  /** A memory table read once, as a bounded input: one offset holding its content when the query started. */
  static final class MemoryTableSource implements Source {
    private static final Offset ALL = new Offset("1");
    private final MemoryTable table;
    private final ConnectorContext context;

    MemoryTableSource(MemoryTable table, ConnectorContext context) {
      this.table = table;
      this.context = context;
    }

    @Override
    public RowSchema schema() {
      return table.schema();
    }

    @Override
    public Offset latestOffset() {
      return ALL;
    }

    @Override
    public Iterator<Batch> read(Offset start, Offset end) {
      return table.snapshot(context.allocator()).iterator();
    }

    @Override
    public boolean isExhausted(Offset offset) {
      return true;
    }

    @Override
    public String description() {
      return "MemoryTable[" + table.name() + "]";
    }
  }
}
