package io.freshet.sinks.memory;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.connector.BatchWriter;
import io.freshet.exec.connector.ConnectorContext;
import io.freshet.exec.connector.ConnectorOptions;
import io.freshet.exec.connector.OptionSpec;
import io.freshet.exec.connector.Sink;
import io.freshet.exec.connector.SinkProvider;
import io.freshet.exec.memory.MemoryTable;
import io.freshet.exec.types.RowSchema;
import io.freshet.streaming.OutputMode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code 'connector' = 'memory'}: keeps the result as a named in-memory table that SQL and the Java API read: in
 * update mode the result as it stands, by its key. Exactly once: a batch id the table already holds is ignored.
 */
public final class MemorySinkProvider implements SinkProvider {

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of();
  }

  @Override
  public Set<OutputMode> supportedModes() {
    return EnumSet.allOf(OutputMode.class);
  }

  @Override
  public void validate(ConnectorOptions options, RowSchema declared) {
    // no options: the table is named after the sink table
  }

  @Override
  public Sink create(ConnectorContext context) {
    String name = context.options().table();
    MemoryTable table = context.resources().getOrCreate(MemoryTable.resourceKey(name), MemoryTable.class,
        () -> new MemoryTable(name, context.declaredSchema(), context.resources().allocator()));
    table.claim(context.queryId(), context.declaredSchema());
    return new Sink() {
      @Override
      public BatchWriter beginBatch(long batchId, OutputMode mode) {
        List<Batch> pending = new ArrayList<>();
        List<Batch> deleted = new ArrayList<>();
        return new BatchWriter() {
          @Override
          public void write(Batch batch) {
            if (!table.holds(batchId)) {
              pending.add(batch.share(context.allocator()));
            }
          }

          @Override
          public void delete(Batch rows) {
            if (!table.holds(batchId)) {
              deleted.add(rows.share(context.allocator()));
            }
          }

          @Override
          public void commit() {
            try {
              if (mode == OutputMode.UPDATE && context.changelog()) {
                table.commitChanges(batchId, pending, deleted, context.resultKey());
              } else {
                table.commit(batchId, pending, mode);
              }
            } finally {
              abort();
            }
          }

          @Override
          public void abort() {
            pending.forEach(Batch::close);
            pending.clear();
            deleted.forEach(Batch::close);
            deleted.clear();
          }
        };
      }

      @Override
      public String description() {
        return "MemorySink[" + name + "]";
      }
    };
  }
}
