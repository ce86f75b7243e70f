package io.freshet.exec.operator;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.expr.Vectors;
import io.freshet.exec.types.Column;
import io.freshet.exec.plan.OperatorContext;
import io.freshet.exec.plan.OperatorFactory;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * {@code CROSS JOIN UNNEST(SPLIT(s, delimiter))}: one output row per piece of the string column {@code s}, the
 * input's columns followed by the piece. Pieces are as Calcite's {@code SPLIT}: every occurrence of the delimiter
 * separates two pieces (so empty pieces are kept), an empty string has none, and NULL has none. The pieces are
 * found by one scan over the column's bytes; the input columns are gathered by row number and the piece column is
 * copied straight from the input's data buffer.
 */
public final class SplitOperator implements Operator {

  /** Splits column {@code column} of {@code inputSchema} at {@code delimiter}; the piece is named {@code name}. */
  public record Spec(RowSchema inputSchema, int column, String delimiter, String name) implements OperatorFactory {
    @Override
    public RowSchema outputSchema() {
      List<Column> columns = new ArrayList<>(inputSchema.columns());
      columns.add(new Column(name, TypeKind.VARCHAR, true));
      return new RowSchema(columns);
    }

    @Override
    public SplitOperator create(OperatorContext context) {
      return new SplitOperator(this, context.allocator());
    }

    @Override
    public String kind() {
      return "split";
    }

    @Override
    public String describe() {
      return "Split(column=" + column + ", delimiter='" + delimiter + "', as " + name + ")";
    }
  }

  private final Spec spec;
  private final RowSchema output;
  private final byte[] delimiter;
  private final BufferAllocator allocator;
  private int[] rows = new int[8192];
  private int[] starts = new int[8192];
  private int[] lengths = new int[8192];

  SplitOperator(Spec spec, BufferAllocator allocator) {
    if (spec.delimiter().isEmpty()) {
      throw io.freshet.streaming.FreshetException.user("SPLIT needs a non-empty delimiter");
    }
    this.spec = spec;
    this.output = spec.outputSchema();
    this.delimiter = spec.delimiter().getBytes(StandardCharsets.UTF_8);
    this.allocator = allocator;
  }

  @Override
  public List<Batch> process(Batch input) {
    VarCharVector strings = (VarCharVector) input.vector(spec.column());
    int n = input.rowCount();
    long offsets = strings.getOffsetBufferAddress();
    long data = strings.getDataBufferAddress();
    boolean nullable = strings.getNullCount() > 0;
    long validity = Vectors.validity(strings);
    int count = 0;
    long bytes = 0;
    byte first = delimiter[0];
    for (int i = 0; i < n; i++) {
      if (nullable && !Vectors.bit(validity, i)) {
        continue;
      }
      int start = MemoryUtil.getInt(offsets + 4L * i);
      int end = MemoryUtil.getInt(offsets + 4L * (i + 1));
      if (start == end) {
        continue;
      }
      bytes += end - start;
      int pieceStart = start;
      for (int p = start; p <= end - delimiter.length; p++) {
        if (MemoryUtil.getByte(data + p) == first && matches(data, p)) {
          count = add(count, i, pieceStart, p - pieceStart);
          p += delimiter.length - 1;
          pieceStart = p + 1;
        }
      }
      count = add(count, i, pieceStart, end - pieceStart);
    }
    if (count == 0) {
      return List.of();
    }
    List<FieldVector> columns = new ArrayList<>(output.size());
    try {
      for (int c = 0; c < input.columnCount(); c++) {
        columns.add(Vectors.gather(input.vector(c), input.schema().type(c), rows, count, allocator));
      }
      VarCharVector pieces = (VarCharVector) output.column(output.size() - 1).toArrowField().createVector(allocator);
      columns.add(pieces);
      pieces.allocateNew(Math.max(bytes, 1), count);
      long to = pieces.getDataBufferAddress();
      long toOffsets = pieces.getOffsetBufferAddress();
      int position = 0;
      MemoryUtil.putInt(toOffsets, 0);
      for (int j = 0; j < count; j++) {
        MemoryUtil.copyMemory(data + starts[j], to + position, lengths[j]);
        position += lengths[j];
        MemoryUtil.putInt(toOffsets + 4L * (j + 1), position);
      }
      Vectors.setAllValid(pieces, count);
      pieces.setLastSet(count - 1);
      pieces.setValueCount(count);
      return List.of(Batch.of(output, columns, count));
    } catch (RuntimeException | Error e) {
      columns.forEach(FieldVector::close);
      throw e;
    }
  }

  private boolean matches(long data, int p) {
    for (int k = 1; k < delimiter.length; k++) {
      if (MemoryUtil.getByte(data + p + k) != delimiter[k]) {
        return false;
      }
    }
    return true;
  }

  private int add(int count, int row, int start, int length) {
    if (count == rows.length) {
      rows = Arrays.copyOf(rows, count * 2);
      starts = Arrays.copyOf(starts, count * 2);
      lengths = Arrays.copyOf(lengths, count * 2);
    }
    rows[count] = row;
    starts[count] = start;
    lengths[count] = length;
    return count + 1;
  }

  @Override
  public String name() {
    return "Split";
  }
}
