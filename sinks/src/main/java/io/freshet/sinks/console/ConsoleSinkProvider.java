package io.freshet.sinks.console;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.connector.BatchWriter;
import io.freshet.exec.connector.ConnectorContext;
import io.freshet.exec.connector.ConnectorOptions;
import io.freshet.exec.connector.OptionSpec;
import io.freshet.exec.connector.Sink;
import io.freshet.exec.connector.SinkProvider;
import io.freshet.exec.types.RowSchema;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code 'connector' = 'console'}: prints each micro-batch as a table under a {@code Batch: N} header, as
 * Spark's console sink does; {@code numRows} (default 20) rows at most, cells cut to 20 characters unless
 * {@code truncate} is false.
 */
public final class ConsoleSinkProvider implements SinkProvider {

  @Override
  public String name() {
    return "console";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(OptionSpec.optional("numRows", "20", "rows printed per batch"),
        OptionSpec.optional("truncate", "true", "cut cells longer than 20 characters"));
  }

  @Override
  public Set<OutputMode> supportedModes() {
    return EnumSet.allOf(OutputMode.class);
  }

  @Override
  public void validate(ConnectorOptions options, RowSchema declared) {
    options.getPositiveLong("numRows");
    options.getBoolean("truncate");
  }

  @Override
  public Sink create(ConnectorContext context) {
    int numRows = (int) Math.min(context.options().getPositiveLong("numRows"), Integer.MAX_VALUE);
    boolean truncate = context.options().getBoolean("truncate");
    List<String> columns = context.declaredSchema().names();
    PrintStream out = context.console();
    return new Sink() {
      @Override
      public BatchWriter beginBatch(long batchId, OutputMode mode) {
        List<Row> rows = new ArrayList<>();
        List<Row> deleted = new ArrayList<>();
        long[] total = {0};
        return new BatchWriter() {
          @Override
          public void write(Batch batch) {
            total[0] += batch.rowCount();
            keep(batch, rows);
          }

          @Override
          public void delete(Batch batch) {
            keep(batch, deleted);
          }

          private void keep(Batch batch, List<Row> into) {
            for (int r = 0; r < batch.rowCount() && into.size() < numRows; r++) {
              Object[] values = new Object[batch.columnCount()];
              for (int c = 0; c < values.length; c++) {
                values[c] = batch.value(c, r);
              }
              into.add(Row.of(values));
            }
          }

          @Override
          public void commit() {
            StringBuilder sb = new StringBuilder();
            sb.append("-------------------------------------------\n");
            sb.append("Batch: ").append(batchId).append('\n');
            sb.append("-------------------------------------------\n");
            sb.append(io.freshet.exec.batch.TableText.format(columns, rows, truncate));
            if (total[0] > rows.size()) {
              sb.append("only showing top ").append(rows.size()).append(" rows\n");
            }
            if (!deleted.isEmpty()) {
              sb.append("Taken back (deleted, or replaced by a row above):\n");
              sb.append(io.freshet.exec.batch.TableText.format(columns, deleted, truncate));
            }
            sb.append('\n');
            out.print(sb);
            out.flush();
          }
        };
      }

      @Override
      public String description() {
        return "ConsoleSink[numRows=" + numRows + ", truncate=" + truncate + "]";
      }
    };
  }
}
