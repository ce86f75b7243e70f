package io.freshet.exec.window;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.expr.Vectors;
import io.freshet.exec.operator.LateRows;
import io.freshet.exec.operator.Operator;
import io.freshet.exec.plan.OperatorContext;
import io.freshet.exec.plan.OperatorFactory;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.util.TransferPair;

/**
 * TUMBLE, HOP and CUMULATE: drops rows older than the watermark in force (counting them), then gives each
 * remaining row one output row per window it falls in, with {@code window_start}, {@code window_end} and
 * {@code window_time} (end − 1 ms) appended. Windows are half-open {@code [start, end)}, aligned to the epoch plus
 * the offset. CUMULATE's windows all start where their period of {@code size} starts and end one step after
 * another: a row at {@code ts} is in those of its period that end after it, {@code [s, s + k * step)} up to
 * {@code [s, s + size)}.
 */
public final class WindowAssignOperator implements Operator {

  /**
   * The plan-time description; a tumbling window has {@code slideMs == sizeMs}.
   *
   * @param timeColumn the input's event-time column (the DESCRIPTOR)
   * @param carried the input columns passed on (those the rest of the plan reads), before the window columns
   * @param cumulative CUMULATE: windows of a {@code sizeMs} period growing by {@code slideMs} (its step)
   * @param sliced HOP whose size is a multiple of its slide, for an aggregation that keeps slices
   *     ({@link io.freshet.exec.aggregate.HopSlices}): each row is given only the first window its slice is in,
   *     the one that ends where the slice ends
   */
  public record Spec(int timeColumn, long sizeMs, long slideMs, long offsetMs, int[] carried,
      RowSchema outputSchema, boolean cumulative, boolean sliced) implements OperatorFactory {
    public Spec {
      if (sizeMs <= 0 || slideMs <= 0) {
        throw new IllegalArgumentException("window size and slide must be positive");
      }
      if (sliced && (cumulative || sizeMs == slideMs || sizeMs % slideMs != 0)) {
        throw new IllegalArgumentException("only a hopping window whose size is a multiple of its slide is sliced");
      }
      carried = carried.clone();
    }

    public Spec(int timeColumn, long sizeMs, long slideMs, long offsetMs, int[] carried, RowSchema outputSchema,
        boolean cumulative) {
      this(timeColumn, sizeMs, slideMs, offsetMs, carried, outputSchema, cumulative, false);
    }

    /** Whether its rows can be given slices: a HOP whose size is a multiple of its slide. */
    public boolean sliceable() {
      return !cumulative && !sliced && sizeMs != slideMs && sizeMs % slideMs == 0;
    }

    /** This HOP giving each row the first window of its slice. */
    public Spec withSlices() {
      return new Spec(timeColumn, sizeMs, slideMs, offsetMs, carried, outputSchema, cumulative, true);
    }

    /** TUMBLE ({@code slideMs == sizeMs}) or HOP. */
    public Spec(int timeColumn, long sizeMs, long slideMs, long offsetMs, int[] carried, RowSchema outputSchema) {
      this(timeColumn, sizeMs, slideMs, offsetMs, carried, outputSchema, false);
    }

    /** The function's name: Tumble, Hop or Cumulate. */
    public String function() {
      return cumulative ? "Cumulate" : sizeMs == slideMs ? "Tumble" : "Hop";
    }

    @Override
    public WindowAssignOperator create(OperatorContext context) {
      return new WindowAssignOperator(this, context.allocator(), context.lateRows());
    }

    @Override
    public String kind() {
      return "window";
    }

    @Override
    public boolean dropsLateRows() {
      return true;
    }

    /** Its windows end on the multiples of the slide (CUMULATE's step) plus the offset: the first after the time. */
    @Override
    public long processingTimerAfter(long timeMs) {
      if (timeMs == Long.MAX_VALUE) {
        return Long.MAX_VALUE;
      }
      return Math.floorDiv(timeMs - offsetMs, slideMs) * slideMs + offsetMs + slideMs;
    }

    @Override
    public String describe() {
      String shape = cumulative ? "Cumulate(size=" + sizeMs + ", step=" + slideMs
          : sizeMs == slideMs ? "Tumble(size=" + sizeMs : "Hop(size=" + sizeMs + ", slide=" + slideMs;
      return shape + (offsetMs == 0 ? "" : ", offset=" + offsetMs) + " ms, " + (sliced ? "sliced, " : "")
          + "time=$" + timeColumn + ", carry="
          + Arrays.toString(carried) + ")";
    }
  }

  private final Spec spec;
  private final BufferAllocator allocator;
  private final LateRows late;
  private long watermark = Long.MIN_VALUE;
  private int[] selection = new int[0];
  private long[] starts = new long[0];
  private long[] ends = new long[0];
  private int[] lateRows = new int[0];

  private WindowAssignOperator(Spec spec, BufferAllocator allocator, LateRows late) {
    this.spec = spec;
    this.allocator = allocator;
    this.late = late;
  }

  @Override
  public String name() {
    return spec.function();
  }

  @Override
  public void startBatch(long watermarkMs) {
    this.watermark = watermarkMs;
  }

  @Override
  public List<Batch> process(Batch input) {
    int n = input.rowCount();
    FieldVector time = input.vector(spec.timeColumn());
    long data = Vectors.data(time);
    long validity = Vectors.validity(time);
    boolean nullable = time.getNullCount() > 0;
    long size = spec.sizeMs();
    long slide = spec.slideMs();
    long offset = spec.offsetMs();
    int perRow = spec.sliced() ? 1 : (int) ((size + slide - 1) / slide);
    int capacity = n * perRow;
    if (selection.length < capacity) {
      selection = new int[capacity];
      starts = new long[capacity];
      ends = new long[capacity];
    }
    if (lateRows.length < n) {
      lateRows = new int[n];
    }
    int out = 0;
    int dropped = 0;
    long wm = watermark;
    for (int i = 0; i < n; i++) {
      if (nullable && !Vectors.bit(validity, i)) {
        lateRows[dropped++] = i;
        continue;
      }
      long ts = MemoryUtil.getLong(data + ((long) i << 3));
      if (ts < wm) {
        lateRows[dropped++] = i;
        continue;
      }
      if (spec.cumulative()) {
        long period = Math.floorDiv(ts - offset, size) * size + offset;
        for (long end = period + (Math.floorDiv(ts - period, slide) + 1) * slide; end <= period + size;
            end += slide) {
          selection[out] = i;
          starts[out] = period;
          ends[out++] = end;
        }
        continue;
      }
      long last = Math.floorDiv(ts - offset, slide) * slide + offset;
      if (spec.sliced()) {
        selection[out] = i;
        starts[out] = last + slide - size;
        ends[out++] = last + slide;
        continue;
      }
      for (long start = last; start > ts - size; start -= slide) {
        selection[out] = i;
        starts[out] = start;
        ends[out++] = start + size;
      }
    }
    if (late != null && dropped > 0) {
      late.drop(input, lateRows, dropped, allocator);
    }
    if (out == 0) {
      return List.of();
    }
    RowSchema schema = spec.outputSchema();
    List<FieldVector> columns = new ArrayList<>(schema.size());
    // Every row in exactly one window (a tumbling window, no late rows): pass the columns on without copying. A
    // hopping window's output can have as many rows as its input when some rows were dropped, hence both tests.
    boolean unchanged = dropped == 0 && out == n;
    try {
      int[] carried = spec.carried();
      for (int c = 0; c < carried.length; c++) {
        FieldVector v = input.vector(carried[c]);
        if (unchanged && !(v instanceof BitVector)) {
          TransferPair pair = v.getTransferPair(allocator);
          pair.splitAndTransfer(0, n);
          columns.add((FieldVector) pair.getTo());
        } else {
          columns.add(Vectors.gather(v, schema.type(c), selection, out, allocator));
        }
      }
      columns.add(times(starts, out, 0));
      columns.add(times(ends, out, 0));
      columns.add(times(ends, out, -1));
    } catch (RuntimeException e) {
      columns.forEach(FieldVector::close);
      throw e;
    }
    return List.of(Batch.of(schema, columns, out));
  }

  /** {@code values[i] + plus} for each of the first {@code n} output rows, as a TIMESTAMP vector. */
  private FieldVector times(long[] values, int n, long plus) {
    FieldVector v = Vectors.allocate(TypeKind.TIMESTAMP, n, allocator);
    Vectors.setAllValid(v, n);
    long data = Vectors.data(v);
    for (int i = 0; i < n; i++) {
      MemoryUtil.putLong(data + ((long) i << 3), values[i] + plus);
    }
    v.setValueCount(n);
    return v;
  }
}
