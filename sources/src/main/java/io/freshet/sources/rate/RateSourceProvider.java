package io.freshet.sources.rate;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.Owned;
import io.freshet.exec.connector.ConnectorContext;
import io.freshet.exec.connector.ConnectorOptions;
import io.freshet.exec.connector.Offset;
import io.freshet.exec.connector.OptionSpec;
import io.freshet.exec.connector.Source;
import io.freshet.exec.connector.SourceProvider;
import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.exec.connector.SchemaCheck;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampMilliVector;

/**
 * {@code 'connector' = 'rate'}: Spark's rate source. Emits {@code rowsPerSecond} rows per second of wall time
 * with columns {@code timestamp} (when the row was due) and {@code value} (0, 1, 2, ...).
 */
public final class RateSourceProvider implements SourceProvider {
  static final RowSchema SCHEMA = RowSchema.of(Column.of("timestamp", TypeKind.TIMESTAMP),
      Column.of("value", TypeKind.BIGINT));
  private static final int BATCH_ROWS = 8192;

  @Override
  public String name() {
    return "rate";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(OptionSpec.optional("rowsPerSecond", "1", "rows generated per second"));
  }

  @Override
  public RowSchema defaultSchema(ConnectorOptions options) {
    return SCHEMA;
  }

  @Override
  public void validate(ConnectorOptions options, RowSchema declared) {
    rowsPerSecond(options);
  }

  private static long rowsPerSecond(ConnectorOptions options) {
    return options.getPositiveLong("rowsPerSecond");
  }

  @Override
  public Source create(ConnectorContext context) {
    long rate = rowsPerSecond(context.options());
    return new RateSource(rate, SchemaCheck.declaredOrOwn(context, SCHEMA, "the rate source"), context.allocator());
  }

  /** The offset JSON: {@code {"startTime": ms, "rows": n}}. */
  record Position(long startTime, long rows) {
    static Position of(Offset o) {
      try {
        return Json.MAPPER.readValue(o.json(), Position.class);
      } catch (JsonProcessingException e) {
        throw FreshetException.user("Not an offset of a rate source: '" + o.json() + "'", e);
      }
    }
  }

  static final class RateSource implements Source {
    private final long rowsPerSecond;
    private final RowSchema schema;
    private final BufferAllocator allocator;
    private long startTime = Long.MIN_VALUE;
    private long availableNowLimit = Long.MAX_VALUE;

    RateSource(long rowsPerSecond, RowSchema schema, BufferAllocator allocator) {
      this.rowsPerSecond = rowsPerSecond;
      this.schema = schema;
      this.allocator = allocator;
    }

    @Override
    public RowSchema schema() {
      return schema;
    }

    @Override
    public void restore(Offset last) {
      startTime = Position.of(last).startTime();
    }

    @Override
    public Offset latestOffset() {
      long rows = Math.min(rowsDue(), availableNowLimit);
      return rows == 0 ? null : new Offset(Json.write(new Position(startTime, rows), false));
    }

    private long rowsDue() {
      long now = System.currentTimeMillis();
      if (startTime == Long.MIN_VALUE) {
        startTime = now;
      }
      return (now - startTime) * rowsPerSecond / 1000;
    }

    @Override
    public void prepareForAvailableNow() {
      availableNowLimit = rowsDue();
    }

    @Override
    public void endAvailableNow() {
      availableNowLimit = Long.MAX_VALUE;
    }

    @Override
    public Iterator<Batch> read(Offset start, Offset end) {
      Position to = Position.of(end);
      long from = start == null ? 0 : Position.of(start).rows();
      return new Iterator<>() {
        long next = from;

        @Override
        public boolean hasNext() {
          return next < to.rows();
        }

        @Override
        public Batch next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          int n = (int) Math.min(BATCH_ROWS, to.rows() - next);
          List<FieldVector> vectors = new ArrayList<>();
          TimeStampMilliVector ts = (TimeStampMilliVector) schema.column(0).toArrowField().createVector(allocator);
          BigIntVector value = (BigIntVector) schema.column(1).toArrowField().createVector(allocator);
          vectors.add(ts);
          vectors.add(value);
          Owned.orClose(vectors, () -> {
            ts.allocateNew(n);
            value.allocateNew(n);
          });
          for (int i = 0; i < n; i++) {
            long v = next + i;
            ts.set(i, to.startTime() + v * 1000 / rowsPerSecond);
            value.set(i, v);
          }
          next += n;
          return Batch.of(schema, vectors, n);
        }
      };
    }

    @Override
    public String description() {
      return "RateSource[rowsPerSecond=" + rowsPerSecond + "]";
    }
  }
}
